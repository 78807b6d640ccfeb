"""The CSV helpers every import and export shares: cells that a spreadsheet would run as a
formula are neutralized on the way out (exports and import templates) and restored on the way
in, so a round trip keeps the text as it was."""

from __future__ import annotations

import pytest

from netweave.lib.csvimport import RawRow, csv_cell, template_csv, unquote_formulas


class CsvCellTests:
    @pytest.mark.parametrize("text", ["=1+1", "+31 20 555", "-5", "@SUM(A1)", "\tx", "\rx"])
    def test_a_cell_that_starts_like_a_formula_gets_an_apostrophe(self, text: str) -> None:
        assert csv_cell(text) == "'" + text

    @pytest.mark.parametrize(("value", "text"), [(None, ""), ("", ""), (12, "12"), ("a=b", "a=b")])
    def test_other_cells_are_written_as_they_are(self, value: object, text: str) -> None:
        assert csv_cell(value) == text

    def test_an_import_takes_the_apostrophe_off_again(self) -> None:
        rows = [RawRow(line=2, values={"name": csv_cell("=cmd"), "note": "'plain"})]
        unquote_formulas(rows)
        assert rows[0].values == {"name": "=cmd", "note": "'plain"}


class TemplateTests:
    def test_the_example_row_of_a_template_never_holds_a_formula(self) -> None:
        text = template_csv(["name", "topic"], {"name": '=HYPERLINK("x")', "topic": "Vaccines"})
        assert text.splitlines()[1] == '"\'=HYPERLINK(""x"")",Vaccines'
