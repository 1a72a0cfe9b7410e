import os

import pytest

from uploads import UnsafeFilename, UploadStore, clean_filename, handle_delete, handle_download, handle_upload


@pytest.fixture
def layout(tmp_path):
    root = tmp_path / "srv" / "uploads"
    store = UploadStore(root)
    secret = tmp_path / "srv" / "secret.txt"
    secret.write_text("do not touch")
    return store, root, secret


def files_outside(tmp_path, root):
    return sorted(
        str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")
        if p.is_file() and root not in p.parents
    )


def test_legitimate_upload_roundtrip(layout):
    store, root, _ = layout
    resp = handle_upload(store, {"ticket": "T-42", "filename": "Screen Shot 2024.PNG", "body": b"img"})
    assert resp == {"status": 201, "stored_as": "T-42/Screen_Shot_2024.png", "size": 3}
    assert (root / "T-42" / "Screen_Shot_2024.png").read_bytes() == b"img"
    assert handle_download(store, {"ticket": "T-42", "name": "Screen_Shot_2024.png"}) == {"status": 200, "body": b"img"}
    assert store.list("T-42") == ["Screen_Shot_2024.png"]
    assert handle_delete(store, {"ticket": "T-42", "name": "Screen_Shot_2024.png"}) == {"status": 204}
    assert store.list("T-42") == []


def test_existing_validation_still_applies(layout):
    store, _, _ = layout
    assert handle_upload(store, {"ticket": "T-1", "filename": "run.sh", "body": b"x"})["status"] == 400
    assert handle_upload(store, {"ticket": "../T-1", "filename": "a.txt", "body": b"x"})["status"] == 400
    assert handle_download(store, {"ticket": "T-1", "name": "missing.txt"})["status"] == 404


@pytest.mark.parametrize(
    "filename",
    ["../../secret.txt", "../secret.txt", "..\\..\\secret.txt", "T-9/../../secret.txt", "/tmp/../secret.txt"],
)
def test_upload_cannot_write_outside_ticket_folder(layout, tmp_path, filename):
    store, root, secret = layout
    resp = handle_upload(store, {"ticket": "T-7", "filename": filename, "body": b"pwned"})
    assert secret.read_text() == "do not touch"
    assert files_outside(tmp_path, root) == ["srv/secret.txt"]
    if resp["status"] == 201:
        assert resp["stored_as"] == "T-7/secret.txt"
        assert (root / "T-7" / "secret.txt").read_bytes() == b"pwned"
    else:
        assert resp["status"] == 400


def test_absolute_path_upload_stays_inside(layout, tmp_path):
    store, root, _ = layout
    target = tmp_path / "elsewhere" / "owned.txt"
    resp = handle_upload(store, {"ticket": "T-7", "filename": str(target), "body": b"x"})
    assert not target.exists()
    assert resp["status"] in (201, 400)
    assert files_outside(tmp_path, root) == ["srv/secret.txt"]


def test_client_side_paths_keep_the_base_name():
    assert clean_filename("C:\\Users\\bob\\Desktop\\Quarterly Report.PDF") == "Quarterly_Report.pdf"
    assert clean_filename("/home/bob/notes.txt") == "notes.txt"
    assert clean_filename("../../etc/cron.d/job.txt") == "job.txt"
    assert "/" not in clean_filename("a/b/../c.log") and "\\" not in clean_filename("a\\c.log")


@pytest.mark.parametrize("filename", ["../..", "..", "a.txt\x00.png", "dir/", "bad\nname.txt"])
def test_degenerate_names_are_rejected(filename):
    with pytest.raises(UnsafeFilename):
        clean_filename(filename)


@pytest.mark.parametrize("name", ["../../secret.txt", "../T-8/x.txt", "..", "/etc/hostname", "sub/../../../secret.txt"])
def test_download_and_delete_refuse_traversal(layout, name):
    store, root, secret = layout
    (root / "T-8").mkdir(parents=True)
    (root / "T-8" / "x.txt").write_text("other ticket")
    assert handle_download(store, {"ticket": "T-7", "name": name})["status"] in (400, 404)
    assert handle_delete(store, {"ticket": "T-7", "name": name})["status"] in (400, 404)
    assert secret.exists() and (root / "T-8" / "x.txt").exists()
    with pytest.raises(UnsafeFilename):
        store.read("T-7", name)


def test_symlink_out_of_root_is_refused(layout):
    store, root, secret = layout
    (root / "T-5").mkdir()
    os.symlink(secret, root / "T-5" / "link.txt")
    assert handle_download(store, {"ticket": "T-5", "name": "link.txt"})["status"] == 400
    with pytest.raises(UnsafeFilename):
        store.save("T-5", "link.txt", b"overwrite")
    assert secret.read_text() == "do not touch"
