"""caselink from Python: the engine the `caselink` command runs.

    import caselink
    caselink.compare("Абдуллаев Шерзод", "Sherzod Abdullayev")      # 1.0
    caselink.compare_many(names_a, names_b)                           # numpy array, GIL released
    clusters = caselink.resolve_dataframe(df, mapping_toml)           # record_id, entity_id, evidence
    store = caselink.Store("cases.db"); store.triage(limit=20)

See docs/python.md.
"""
import json
import os
import tempfile
import warnings

from ._native import (  # noqa: F401  (re-exported)
    compare,
    compare_explained,
    compare_many,
    jaro_winkler,
    jaro_winkler_many,
    levenshtein,
    levenshtein_many,
    normalize,
    Model,
)
from ._native import Store as _NativeStore

__all__ = [
    "Store", "compare", "compare_explained", "compare_many", "jaro_winkler", "jaro_winkler_many", "levenshtein",
    "levenshtein_many", "Model", "normalize", "resolve_dataframe",
]


class Store(_NativeStore):
    """A caselink store, as `caselink --store PATH` opens it: ingest, resolve, clusters, triage."""

    def triage(self, limit=100, clearance="", min_score=None):
        """Ranked people with their evidence, as `caselink triage --json` answers (a dict)."""
        if min_score is None:
            return json.loads(self.triage_json(limit=limit, clearance=clearance))
        return json.loads(self.triage_json(limit=limit, clearance=clearance, min_score=min_score))

    def screen(self, queries, clearance="", limit=10, min_score=0.5):
        """Screens names against the lists loaded in the store (`caselink watchlist load`).

        `queries`: a pandas DataFrame (columns name or full_name, and optionally
        birth_date / date_of_birth, nationality / countries, gender, document,
        schema), a list of dicts of those fields, or a list of names. Returns a
        DataFrame, one row a hit: query (the row's position), list, source_id,
        name, score, match, explanation, kind; queries without a hit have no row.
        Audited as `screen.queries`.
        """
        import pandas

        if isinstance(queries, pandas.DataFrame):
            records = queries.where(queries.notna(), None).to_dict("records")
        else:
            records = [{"name": q} if isinstance(q, str) else dict(q) for q in queries]
        records = [{k: v for k, v in r.items() if v is not None and v == v} for r in records]  # None, NaN: absent
        answers = json.loads(self.screen_json(json.dumps(records), clearance=clearance, limit=limit,
                                              min_score=min_score))
        rows = []
        for i, answer in enumerate(answers):
            if "error" in answer:
                raise ValueError(f"query {i}: {answer['error']}")
            if "warning" in answer:
                warnings.warn(f"query {i}: {answer['warning']}")
            for hit in answer["hits"]:
                rows.append({"query": i, **{k: hit.get(k) for k in
                                            ("list", "source_id", "name", "score", "match", "explanation", "kind")}})
        columns = ["query", "list", "source_id", "name", "score", "match", "explanation", "kind"]
        return pandas.DataFrame(rows, columns=columns)

    def model_frame(self):
        """The person-matching model of the last resolve, as `caselink model show` prints it: one row a
        comparison level, with m, u and the match weight (log2 odds) it adds; the prior in `frame.attrs`."""
        import pandas

        levels, prior = self.model()
        frame = pandas.DataFrame(levels, columns=["comparison", "level", "m", "u", "weight"])
        frame.attrs["prior_log_odds"] = prior
        return frame

    def explain_pair(self, record_a, record_b):
        """The waterfall of match weights of two Person records under the model of the last resolve, as
        `caselink explain --pair` prints it (Splink's waterfall chart): one row a step (the prior, then
        each comparison and frequency adjustment) with its level, the two values, its weight (natural
        log-odds) and the running total; log_odds and probability in `frame.attrs`. Audited."""
        import pandas

        prior, steps, log_odds, probability = self.explain_pair_steps(record_a, record_b)
        rows = [("prior", "", "", "", prior)] + list(steps)
        frame = pandas.DataFrame(rows, columns=["step", "level", "a", "b", "weight"])
        frame["total"] = frame["weight"].cumsum()
        frame.attrs.update({"log_odds": log_odds, "probability": probability})
        return frame

    def clusters_frame(self):
        """A pandas DataFrame of record_id, entity_id and evidence (why the record is in its entity)."""
        import pandas

        return pandas.DataFrame(self.clusters(), columns=["record_id", "entity_id", "evidence"])


def resolve_dataframe(df, mapping, source="data", model=None):
    """Resolves the rows of a pandas DataFrame into entities.

    `mapping` is the TOML text of a CSV mapping (docs/user-guide.md, "CSV
    mappings") over the DataFrame's columns. The rows go through the same
    ingest and resolve as the command line's, in a store made for the call.
    `model`, when given (JSON text, or a model from caselink.dask.fit_model),
    is the person model to resolve under; else one is fitted on the rows.
    Returns a DataFrame of record_id, entity_id and evidence. Rows or values
    that did not read are warned about (caselink.IngestWarning), not lost.
    """
    store, work = resolve_dataframe_store(df, mapping, source, model)
    try:
        return store.clusters_frame()
    finally:
        del store
        work.cleanup()


def resolve_dataframe_store(df, mapping, source="data", model=None):
    """resolve_dataframe's store and its temporary directory (cleanup() removes both)."""
    work = tempfile.TemporaryDirectory(prefix="caselink-")
    data = os.path.join(work.name, source + ".csv")
    df.to_csv(data, index=False)
    mapping_path = os.path.join(work.name, "mapping.toml")
    with open(mapping_path, "w", encoding="utf-8") as fh:
        fh.write(mapping)
    store = Store(os.path.join(work.name, "store.db"))
    summary = store.ingest(data, source, mapping=mapping_path, rejects=os.path.join(work.name, "rejects.jsonl"))
    if summary["rejected"] or summary["values_kept_raw"] or summary["values_dropped"]:
        warnings.warn(IngestWarning(
            f"{summary['rejected']} row(s) rejected, {summary['values_kept_raw']} value(s) kept as written, "
            f"{summary['values_dropped']} dropped: " + "; ".join(summary["messages"][:5])))
    if model is not None and not isinstance(model, str):
        model = model.to_json()
    store.resolve(model or "")
    return store, work


class IngestWarning(UserWarning):
    """Rows or values of a DataFrame that did not read (each kept or listed, never silently lost)."""
