"""The https fixture every suite shares: one throwaway CA and loopback certificate a session.

`BackgroundServer(emulator, tls=tls)` serves https with it; clients trust `tls.ca`
(`tls.client_context()`). tests/conftest.py and tests_foundry/conftest.py both register it.
"""

from __future__ import annotations

import pytest

from reconciler.emulator.core.tls import TlsFiles, make_certificate


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_certificate(tmp_path_factory.mktemp("tls"))
