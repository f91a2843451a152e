"""PostgreSQL's binary COPY stream built in bulk: read back field by field, and loaded into the table."""

import struct
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from kpis.models import Measurement
from kpis.services.binary_copy import HEADER, TRAILER, Field, encode_rows
from kpis.services.revisions import insert_measurements
from tests.factories import KpiFactory, OrgUnitFactory

EPOCH = date(2000, 1, 1)
MOMENT = datetime(2025, 8, 1, 9, 30, 15, 123456, tzinfo=UTC)


def read_back(data: bytes, kinds: list[str]) -> list[list[object]]:
    """The rows of a binary COPY stream, decoded the way the server reads them."""
    assert data.startswith(HEADER) and data.endswith(TRAILER)
    body, rows = memoryview(data)[len(HEADER) : -len(TRAILER)], []
    position = 0
    while position < len(body):
        (count,) = struct.unpack_from(">h", body, position)
        position += 2
        row: list[object] = []
        for kind in kinds[:count]:
            (length,) = struct.unpack_from(">i", body, position)
            position += 4
            if length == -1:
                row.append(None)
                continue
            raw = bytes(body[position : position + length])
            position += length
            row.append(
                {
                    "int8": lambda b: struct.unpack(">q", b)[0],
                    "int4": lambda b: struct.unpack(">i", b)[0],
                    "float8": lambda b: struct.unpack(">d", b)[0],
                    "bool": lambda b: b == b"\x01",
                    "date": lambda b: EPOCH + timedelta(days=struct.unpack(">i", b)[0]),
                    "timestamptz": lambda b: (
                        datetime(2000, 1, 1, tzinfo=UTC) + timedelta(microseconds=struct.unpack(">q", b)[0])
                    ),
                    "text": lambda b: b.decode(),
                }[kind](raw)
            )
        assert count == len(kinds)
        rows.append(row)
    return rows


def test_rows_with_nulls_in_different_columns_keep_their_values_and_their_order():
    numerator = np.array([3.0, np.nan, 5.5, np.nan, 7.0])
    children = np.array([0, 2, 0, 0, 4])
    fields = [
        Field("int8", np.array([1, 2, 3, 4, 5])),
        Field(
            "date", np.array(["2025-04-01", "1999-12-01", "2025-05-01", "2000-01-01", "2031-03-01"], "M8[D]")
        ),
        Field("float8", numerator, missing=np.isnan(numerator)),
        Field("int4", children, missing=children == 0),
        Field("bool", np.array([True, False, True, False, True])),
        Field("int8", None),
        Field("text", "draft"),
        Field("bool", False),
        Field("timestamptz", MOMENT),
    ]
    kinds = ["int8", "date", "float8", "int4", "bool", "int8", "text", "bool", "timestamptz"]
    rows = read_back(encode_rows(fields, rows=5), kinds)
    assert rows == [
        [1, date(2025, 4, 1), 3.0, None, True, None, "draft", False, MOMENT],
        [2, date(1999, 12, 1), None, 2, False, None, "draft", False, MOMENT],
        [3, date(2025, 5, 1), 5.5, None, True, None, "draft", False, MOMENT],
        [4, date(2000, 1, 1), None, None, False, None, "draft", False, MOMENT],
        [5, date(2031, 3, 1), 7.0, 4, True, None, "draft", False, MOMENT],
    ]


@given(
    st.lists(
        st.tuples(
            st.integers(-(2**63), 2**63 - 1),
            st.none() | st.floats(allow_nan=False, width=64),
            st.none() | st.integers(-(2**31), 2**31 - 1),
            st.booleans(),
        ),
        max_size=40,
    )
)
def test_any_rows_read_back_as_given_in_the_same_order(rows):
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    floats = np.array([np.nan if r[1] is None else r[1] for r in rows], dtype=np.float64)
    counts = np.array([0 if r[2] is None else r[2] for r in rows], dtype=np.int64)
    flags = np.array([r[3] for r in rows], dtype=bool)
    fields = [
        Field("int8", ids),
        Field("float8", floats, missing=np.array([r[1] is None for r in rows], dtype=bool)),
        Field("int4", counts, missing=np.array([r[2] is None for r in rows], dtype=bool)),
        Field("bool", flags),
    ]
    data = encode_rows(fields, rows=len(rows))
    assert read_back(data, ["int8", "float8", "int4", "bool"]) == [list(r) for r in rows]


def test_no_rows_is_an_empty_stream():
    assert encode_rows([Field("int8", np.array([], dtype=np.int64))], rows=0) == HEADER + TRAILER


def test_text_is_accepted_only_as_one_value_for_every_row():
    with pytest.raises(TypeError):
        encode_rows([Field("text", np.array(["a", "b"]))], rows=2)


@pytest.mark.django_db
def test_measurements_copied_to_postgresql_read_back_exactly_and_in_order():
    if connection.vendor != "postgresql":
        pytest.skip("binary COPY is PostgreSQL's (SQLite loads the rows with bulk_create)")
    kpis = [KpiFactory() for _ in range(3)]
    unit = OrgUnitFactory()
    rows = pd.DataFrame(
        {
            "kpi_id": [kpis[0].pk, kpis[1].pk, kpis[2].pk, kpis[0].pk],
            "org_unit_id": unit.pk,
            "month": pd.to_datetime(["2025-04-01", "2025-04-01", "2025-04-01", "2025-05-01"]),
            "numerator": [45.0, np.nan, 3.0, 1 / 3],
            "denominator": [50.0, np.nan, np.nan, 1.0],
            "value": [90.0, 12.25, 3.0, 100 / 3],
            "revision": [1, 2, 1, 1],
        }
    )
    assert insert_measurements(rows, upload_id=None, status="draft", is_rollup=False) == 4
    stored = list(
        Measurement.objects.order_by("id").values_list(
            "kpi_id",
            "month",
            "numerator",
            "denominator",
            "value",
            "revision",
            "status",
            "is_rollup",
            "upload_id",
        )
    )
    assert stored == [
        (kpis[0].pk, date(2025, 4, 1), 45.0, 50.0, 90.0, 1, "draft", False, None),
        (kpis[1].pk, date(2025, 4, 1), None, None, 12.25, 2, "draft", False, None),
        (kpis[2].pk, date(2025, 4, 1), 3.0, None, 3.0, 1, "draft", False, None),
        (kpis[0].pk, date(2025, 5, 1), 1 / 3, 1.0, 100 / 3, 1, "draft", False, None),
    ]
