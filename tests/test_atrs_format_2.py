"""`risk-cli atrs` on a format-2 input (rated or points): one line saying an ATRS draft needs a 5x5
questionnaire with an ATRS mapping and which model the input has; exit 2; nothing written."""

from __future__ import annotations

from tests.conftest import FIXTURES, ROOT

RATED = ROOT / "sample_outputs" / "benefit-triage-dp-answers.yaml"
POINTS_QN = FIXTURES / "points" / "mini-points.yaml"
POINTS = FIXTURES / "points" / "answers-high.yaml"


def test_atrs_refuses_a_format_2_input_in_one_line(run, tmp_path):
    for args in ([RATED], [POINTS, "-q", POINTS_QN]):
        out = tmp_path / "record.md"
        result = run("atrs", *args, "-o", out)
        assert result.exit_code == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ")
        assert "5x5" in lines[0] and "ATRS mapping" in lines[0]
        assert ("rated model" if args == [RATED] else "points model") in lines[0]
        assert not out.exists()
