// The `_native` module's parts for resolving on a Dask cluster (dask_parts.cc).
#pragma once

#include <pybind11/pybind11.h>

void BindDaskParts(pybind11::module_& m);
