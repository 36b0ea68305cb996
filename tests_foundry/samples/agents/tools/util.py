# Provenance: the official azure-ai-projects 2.10.0 sample samples/agents/tools/util.py, copied unchanged
# below this header from the PyPI sdist azure_ai_projects-2.10.0.tar.gz (sha256 c1edbb1241c973538a85de45a467edf9d6c244916c01cf68751eedbe65e7f37f).
# Upstream: Azure/azure-sdk-for-python, sdk/ai/azure-ai-projects/samples/agents/tools/util.py, release tag
# azure-ai-projects_2.10.0. sha256 of the file as released: 5a6c11bea7932ab8bcb1843e1c425891cce8e9564b9387caf9602ea8558dcb51. See PROVENANCE.md.

# ------------------------------------
# Copyright (c) Microsoft Corporation.
# Licensed under the MIT License.
# ------------------------------------

from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
import sys

_SAMPLES_UTIL_PATH = Path(__file__).resolve().parents[1] / "util.py"

_PKG_ROOT = Path(__file__).resolve().parents[3]
if str(_PKG_ROOT) not in sys.path:
    sys.path.insert(0, str(_PKG_ROOT))
from samples.util import create_version_with_endpoint as _create_version_with_endpoint
from samples.util import create_version_with_endpoint_async as _create_version_with_endpoint_async

if str(_PKG_ROOT) not in sys.path:
    sys.path.insert(0, str(_PKG_ROOT))

_SPEC = spec_from_file_location("samples_shared_util", _SAMPLES_UTIL_PATH)
if _SPEC is None or _SPEC.loader is None:
    raise ImportError(f"Unable to load shared samples util from {_SAMPLES_UTIL_PATH}")

_MODULE = module_from_spec(_SPEC)
_SPEC.loader.exec_module(_MODULE)

create_version_with_endpoint = _create_version_with_endpoint
create_version_with_endpoint_async = _create_version_with_endpoint_async
