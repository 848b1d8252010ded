"""The plans file of ``--explain`` keeps the sections of earlier runs and replaces those measured
again (a run of ``--only export`` must not drop the pages' plans)."""

from bench.explain import read_sections


def test_sections_are_read_back_by_measurement_name(tmp_path):
    path = tmp_path / "explain-postgresql-1000.txt"
    path.write_text("=== export.all: slow (measured x)\nSELECT 1\n\nplan a\n\n=== list.search: s\nSELECT 2\n")

    sections = read_sections(path)

    assert list(sections) == ["export.all", "list.search"]
    assert sections["export.all"] == "=== export.all: slow (measured x)\nSELECT 1\n\nplan a\n"
    assert read_sections(tmp_path / "missing.txt") == {}
