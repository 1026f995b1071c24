import pytest
from hypothesis import given, settings, strategies as st

from risk_cli import safe_yaml
from risk_cli.errors import InputProblems


def test_yes_and_no_stay_strings_and_dates_stay_text():
    doc = safe_yaml.loads("a: yes\nb: no\nc: 2026-01-31\nd: true\ne: 3\nf: 2.5\ng: ~\n", "t.yaml")
    assert doc.data == {"a": "yes", "b": "no", "c": "2026-01-31", "d": True, "e": 3, "f": 2.5, "g": None}


def test_marks_give_line_and_column_of_each_value():
    doc = safe_yaml.loads("top:\n  items:\n    - x\n    - y\n", "t.yaml")
    problem = doc.problem(("top", "items", 1), "bad")
    assert str(problem) == "t.yaml:4:7: top.items[1]: bad"


@pytest.mark.parametrize("text, expected", [
    ("a: &x [1, 2]\nb: *x\n", "t.yaml:1:4: YAML anchors and aliases (&name, *name) are not allowed"),
    ("a: 1\na: 2\n", "t.yaml:2:1: duplicate key 'a'"),
    ("a: [1, 2\n", "t.yaml:2:1: YAML syntax error: did not find expected ',' or ']'"),
    ("a: 1\n---\nb: 2\n", "t.yaml:3: holds more than one YAML document"),
])
def test_hostile_or_broken_yaml_is_one_clear_line(text, expected):
    with pytest.raises(InputProblems) as info:
        safe_yaml.loads(text, "t.yaml")
    assert info.value.lines() == [expected]


def test_python_tags_never_construct_objects():
    with pytest.raises(InputProblems) as info:
        safe_yaml.loads("x: !!python/object/apply:os.system [echo hi]\n", "t.yaml")
    assert info.value.lines() == ["t.yaml:1:4: unsupported YAML tag tag:yaml.org,2002:python/object/apply:os.system"]


def test_billion_laughs_is_refused_quickly():
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 9) + "]")
    with pytest.raises(InputProblems) as info:
        safe_yaml.loads("\n".join(lines), "bomb.yaml")
    assert "aliases" in info.value.lines()[0]


def test_bom_and_windows_line_endings_are_accepted(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\r\nb: two\r\n")
    assert safe_yaml.load(path).data == {"a": 1, "b": "two"}


def test_non_utf8_bytes_report_the_line(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(InputProblems) as info:
        safe_yaml.load(path)
    assert info.value.lines() == [f"{path}:2: is not UTF-8 text (byte 0xe9)"]


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputProblems, match="no such file"):
        safe_yaml.load(tmp_path / "nope.yaml")
    with pytest.raises(InputProblems, match="is a directory"):
        safe_yaml.load(tmp_path)


@pytest.mark.parametrize("text, expected", [
    ("format: 2\nmodel: points\n", "2"),
    ("# a comment\nid: x\nformat: 1\n", "1"),
    ("id: x\nnested:\n  format: 2\n", None),  # only the top level counts
    ("format:\n  - 2\n", None),  # not a scalar
    ("- format: 2\n", None),  # not a mapping
    ("format: [unclosed\n", None),  # broken: the full parse reports it
    ("id: x\n", None),
])
def test_top_level_scalar_peeks_at_the_header(text, expected):
    assert safe_yaml.top_level_scalar(text, "format") == expected


@pytest.mark.parametrize("text, expected", [
    ("questionnaire: {id: mini, version: 0.1.0}\nanswers: {a: 1}\n", {"id": "mini", "version": "0.1.0"}),
    ("profile: {name: x}\nquestionnaire:\n  id: mini\n  version: '1.0'\n", {"id": "mini", "version": "1.0"}),
    ("answers: {questionnaire: {id: other}}\nquestionnaire: {id: mini}\n", {"id": "mini"}),  # the top level's
    ("questionnaire: mini\n", None),  # not a mapping
    ("questionnaire: {id: mini, version: [1]}\n", None),  # not plain values
    ("questionnaire: {id: mini, version: 0.1.0\n", None),  # broken: the full parse reports it
    ("answers: {a: 1}\n", None),
])
def test_top_level_mapping_peeks_at_an_answers_files_header(text, expected):
    assert safe_yaml.top_level_mapping(text, "questionnaire") == expected
    assert safe_yaml.top_level_scalar(text, "questionnaire") is None or expected is None


@pytest.mark.parametrize("text, expected", [
    ("format: 2\nmodel: rated\nid: x\nsections: [a]\nversion: 9\n", {"format": "2", "model": "rated", "id": "x"}),
    ("# a comment\n---\nid: x\nversion: '1.0'\n", {"id": "x", "version": "1.0"}),
    ("- format: 2\n", {}),  # not a mapping
    ("", {}),
    ("id: x\nformat: [unclosed\n", {"id": "x"}),  # the header ends where the trouble starts
])
def test_leading_scalars_are_the_header_before_the_first_nested_value(text, expected):
    assert safe_yaml.leading_scalars(text) == expected


def test_top_level_scalar_gives_up_on_a_huge_file_instead_of_walking_it():
    text = "values: [" + ", ".join("1" for _ in range(safe_yaml.PEEK_EVENTS + 10)) + "]\nformat: 2\n"
    with pytest.raises(safe_yaml.Undecided):
        safe_yaml.top_level_scalar(text, "format")


def _values(data) -> int:
    """How many values a document holds, mapping keys not counted (as safe_yaml counts them)."""
    if isinstance(data, list):
        return 1 + sum(_values(v) for v in data)
    if isinstance(data, dict):
        return 1 + sum(_values(v) for v in data.values())
    return 1


_DOCS = st.recursive(st.sampled_from(["a", "1", "x y", ""]),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["k", "l", "m"]), inner,
                                                                                 max_size=3), max_leaves=20)


@settings(max_examples=150, deadline=None)
@given(_DOCS, st.booleans(), st.integers(1, 25))
def test_counting_values_refuses_exactly_past_the_limit(doc, flow, limit):
    """The streaming count that refuses a huge file agrees with the document's own count."""
    from unittest import mock

    import yaml

    text = yaml.safe_dump(doc, default_flow_style=flow)
    with mock.patch.object(safe_yaml, "MAX_NODES", limit):
        try:
            safe_yaml._count_values(text, "f.yaml", yaml.CSafeLoader)
            refused = False
        except InputProblems as exc:
            refused = True
            assert f"has more than {limit:,} values" in str(exc.problems[0])
    assert refused == (_values(doc) > limit)
