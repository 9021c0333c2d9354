// The shapes of the API's answers the workbench reads (docs/openapi.yaml).
export interface Evidence {
  text: string;
  record_ids: string[];
}
export interface CaseRow {
  rank: number;
  entity_id: string;
  name: string;
  score: number;
  path: number;
  lines: number;
  walk: number;
  status: string;
  assignee: string;
  case_ids: string[];
  record_ids: string[];
  evidence: Evidence[];
  weak?: string;
}
export interface Queue {
  total: number;
  offset: number;
  limit: number;
  counts: Record<string, number>;
  cases: CaseRow[];
}
export interface NodeRef {
  id: string;
  kind: string;
  label: string;
}
export interface GraphNode extends NodeRef {
  degree: number;
  hub: boolean;
  person?: boolean;
  seed?: boolean;
}
export interface GraphEdge {
  from: string;
  to: string;
  type: string;
  record_id: string;
  date: string;
}
export interface CaseGraph {
  entity_id: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}
export interface Neighbours {
  entity_id: string;
  total: number;
  shown: number;
  more: number;
  by_kind: Record<string, number>;
  neighbours: (GraphNode & { links: { type: string; direction: string; record_id: string; date: string }[] })[];
}
export interface TimelineEvent {
  date: string;
  schema: string;
  record_id: string;
  source: string;
  reliability: string;
  links: string[];
  with: NodeRef[];
  via: NodeRef | null;
}
export interface Timeline {
  entity_id: string;
  total: number;
  shown: number;
  more: number;
  events: TimelineEvent[];
}
export interface RecordValue {
  property: string;
  value: string;
}
// A record as it arrived, with where it came from (RecordJson, EntityJson).
export interface SourcedRecord {
  record_id: string;
  schema: string;
  source: string;
  reliability: string;
  markings: string[];
  version: number;
  values: RecordValue[];
}
// In an entity: why it belongs.
export interface EntityRecord extends SourcedRecord {
  evidence: string;
}
export interface Entity {
  entity_id: string;
  kind: string;
  label: string;
  key: string;
  confidence: number;
  degree: number;
  hub: boolean;
  records: EntityRecord[];
}
// On its own: the entity it is in.
export interface RecordView extends SourcedRecord {
  entity_id: string;
  entity_label: string;
}
export interface PairReport {
  record_a: string;
  record_b: string;
  prior: number;
  steps: { comparison: string; level: string; a: string; b: string; weight: number }[];
  log_odds: number;
  probability: number;
  joined: boolean;
  verdict: string;
  name_tokens: string[];
}
export interface HistoryEvent {
  at: string;
  actor: string;
  decision?: string;
  reason?: string;
  note?: string;
}
export interface History {
  entity_id: string;
  status: string;
  assignee: string;
  history: HistoryEvent[];
}
export interface ScreenToken {
  query: string;
  romanized?: string;
  listed: string;
  how: string;
  similarity: number;
  credit: number;
  weight: number;
}
export interface ScreenHit {
  list: string;
  source_id: string;
  name: string;
  score: number;
  match: boolean;
  explanation: string;
  kind: string;
  name_kind: string;
  name_score: number;
  tokens: ScreenToken[];
  attributes: { attribute: string; query: string; listed: string; outcome: string; effect: number }[];
}
export interface CaseloadHit {
  record_id: string;
  list: string;
  source_id: string;
  name: string;
  score: number;
  explanation: string;
}
export interface Alert {
  entity_id: string;
  name: string;
  why: string;
  rank: number;
  previous_rank: number;
  score: number;
  status: string;
  new_records: number;
}
export interface AuditEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  detail: string;
}
