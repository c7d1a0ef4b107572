"""The XBlock test layer: blocks parsed from OLX into XBlock's own `TestRuntime` (no Django, no server).

Later block issues add their tests here: `runtime` gives a fresh runtime whose field data is kept
per block, and `load_olx` parses a snippet of OLX (as our archives hold it) into a block.
"""
from __future__ import annotations

import pytest
from xblock.runtime import DictKeyValueStore, KvsFieldData
from xblock.test.tools import TestRuntime


@pytest.fixture
def runtime():
    """A TestRuntime whose key-value store keeps each block's fields apart (a bare DictFieldData
    would share one value per field name between all blocks), and whose `publish` records each
    event as `(event_type, data)` in `runtime.published` (TestRuntime has no event service)."""
    runtime = TestRuntime(services={"field-data": KvsFieldData(DictKeyValueStore())})
    runtime.published = []
    runtime.publish = lambda block, event_type, data: runtime.published.append((event_type, data))
    return runtime


@pytest.fixture
def load_olx(runtime):
    def load(xml: str):
        return runtime.get_block(runtime.parse_xml_string(xml))
    return load
