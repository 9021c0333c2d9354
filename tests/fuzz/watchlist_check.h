// Shared by the watchlist fuzz targets (un_xml, ofac_csv, ftm_list): writing
// the input where a reader expects a file, and what any list it returns must
// look like.
#pragma once

#include <string>
#include <vector>

#include "caselink/watchlist.h"

namespace caselink::fuzz {

// A folder of this process under the system temp dir, made on the first
// call and kept: remaking it on every input costs more than the parse.
const std::string& InputDir();

// Writes `bytes` as file `name` in InputDir() (replacing what was there) and
// returns its path; with `bytes` null, removes the file instead.
std::string WriteInput(const std::string& name, const std::string* bytes);

// Checks a reader's answer: an error has a message; a list has entries with
// an id, a first name of kind "primary", no empty name, ISO birth dates and a
// line, and rejects that start with the file they are about (`path_prefix`).
void CheckWatchlist(const Result<Watchlist>& result, const std::string& path_prefix);

}  // namespace caselink::fuzz
