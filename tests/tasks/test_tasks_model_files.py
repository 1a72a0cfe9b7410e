"""Which files a task folder holds: links that leave the folder never count."""

from __future__ import annotations

from pathlib import Path

from routr_cli.tasks.model import read_tree


def test_links_out_of_the_folder_are_skipped_and_links_inside_kept(tmp_path: Path) -> None:
    secret = tmp_path / "home" / ".ssh" / "id_rsa"
    secret.parent.mkdir(parents=True)
    secret.write_text("PRIVATE KEY\n")
    repo = tmp_path / "task" / "repo"
    (repo / "pkg").mkdir(parents=True)
    (repo / "pkg" / "main.py").write_text("print('hi')\n")
    (repo / "key.txt").symlink_to(secret)
    (repo / "ssh").symlink_to(secret.parent, target_is_directory=True)
    (repo / "alias.py").symlink_to(repo / "pkg" / "main.py")

    files = read_tree(repo)
    assert sorted(files) == ["alias.py", "pkg/main.py"]
    assert "PRIVATE KEY\n" not in files.values()
