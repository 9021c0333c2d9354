// docs/openapi.yaml, compiled into the server and served as JSON at
// /v1/openapi.json: the document the conformance test checks every answer
// against is the one the server hands out.
#pragma once

#include <nlohmann/json.hpp>

namespace caselink {

// The document as JSON, read from its YAML once. YAML scalars become JSON
// by the YAML 1.2 core schema: a plain true / false is a boolean, a plain
// null or ~ null, a plain number a number; a quoted scalar is always text.
const nlohmann::ordered_json& OpenApiDocument();

}  // namespace caselink
