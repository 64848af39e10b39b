from pathlib import Path

from archiver.build import keyedpickle


def test_a_saved_dict_is_read_back_under_its_key_only(tmp_path: Path) -> None:
    path = tmp_path / "cache.pickle"
    keyedpickle.write(path, "k1", {"a": (1, 2)})
    assert keyedpickle.read(path, "k1") == {"a": (1, 2)}
    assert keyedpickle.read(path, "k2") is None


def test_a_missing_or_damaged_file_reads_as_none(tmp_path: Path) -> None:
    path = tmp_path / "cache.pickle"
    assert keyedpickle.read(path, "k") is None
    path.write_bytes(b"\x80\x05garbage")
    assert keyedpickle.read(path, "k") is None
    path.write_bytes(b"")
    assert keyedpickle.read(path, "k") is None
