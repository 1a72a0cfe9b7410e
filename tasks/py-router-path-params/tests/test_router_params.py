import pytest

from webapp.app import build_app
from webapp.http import Request, Response, json_response
from webapp.router import Router


def echo(label):
    def handler(request):
        return json_response({"label": label, "params": request.path_params})
    return handler


def test_existing_static_routes():
    app = build_app()
    assert app.dispatch(Request("GET", "/health")).json() == {"status": "ok"}
    created = app.dispatch(Request("POST", "/notes", body=b'{"title": " hello ", "text": "x"}'))
    assert created.status == 201 and created.json() == {"id": 1, "title": "hello", "text": "x"}
    assert app.dispatch(Request("GET", "/notes/get?id=1")).json()["title"] == "hello"
    assert app.dispatch(Request("POST", "/notes", body=b"{}")).status == 400
    assert app.dispatch(Request("GET", "/nothing/here")).status == 404
    assert app.dispatch(Request("DELETE", "/notes/delete?id=1")).status == 204


def test_handler_errors_become_500():
    router = Router()
    router.add("GET", "/boom", lambda request: 1 / 0)
    assert router.dispatch(Request("GET", "/boom")).status == 500


def test_int_parameters():
    router = Router()
    router.add("GET", "/notes/<int:note_id>", echo("note"))
    resp = router.dispatch(Request("GET", "/notes/42?x=1"))
    assert resp.status == 200
    assert resp.json() == {"label": "note", "params": {"note_id": 42}}
    for bad in ("/notes/abc", "/notes/-1", "/notes/", "/notes/4/extra", "/notes/1.5"):
        assert router.dispatch(Request("GET", bad)).status == 404, bad


def test_int_parameter_is_an_int():
    router = Router()
    seen = {}

    def handler(request):
        seen.update(request.path_params)
        return Response(204)

    router.add("GET", "/orders/<int:order_id>/items/<int:line>", handler)
    assert router.dispatch(Request("GET", "/orders/007/items/3")).status == 204
    assert seen == {"order_id": 7, "line": 3}
    assert isinstance(seen["order_id"], int)


def test_string_parameters_are_decoded_single_segments():
    router = Router()
    router.add("GET", "/users/<name>/profile", echo("profile"))
    resp = router.dispatch(Request("GET", "/users/ada%20lovelace/profile"))
    assert resp.json()["params"] == {"name": "ada lovelace"}
    resp = router.dispatch(Request("GET", "/users/a%2Fb/profile"))
    assert resp.json()["params"] == {"name": "a/b"}
    assert router.dispatch(Request("GET", "/users/a/b/profile")).status == 404
    assert router.dispatch(Request("GET", "/users//profile")).status == 404


def test_path_parameter_takes_the_rest():
    router = Router()
    router.add("GET", "/files/<path:rest>", echo("files"))
    assert router.dispatch(Request("GET", "/files/a/b/c.txt")).json()["params"] == {"rest": "a/b/c.txt"}
    assert router.dispatch(Request("GET", "/files/x%20y.txt")).json()["params"] == {"rest": "x y.txt"}
    assert router.dispatch(Request("GET", "/files/")).status == 404


def test_static_routes_win_over_parameters():
    router = Router()
    router.add("GET", "/users/<name>", echo("param"))
    router.add("GET", "/users/me", echo("static"))
    assert router.dispatch(Request("GET", "/users/me")).json() == {"label": "static", "params": {}}
    assert router.dispatch(Request("GET", "/users/bob")).json() == {"label": "param", "params": {"name": "bob"}}


def test_method_not_allowed_lists_methods():
    router = Router()
    router.add("GET", "/items/<int:item_id>", echo("get"))
    router.add("DELETE", "/items/<int:item_id>", echo("delete"))
    router.add("POST", "/items", echo("create"))
    resp = router.dispatch(Request("PUT", "/items/3"))
    assert resp.status == 405
    assert resp.headers["Allow"] == "DELETE, GET"
    assert "error" in resp.json()
    resp = router.dispatch(Request("GET", "/items"))
    assert resp.status == 405 and resp.headers["Allow"] == "POST"
    assert router.dispatch(Request("PUT", "/items/x")).status == 404


@pytest.mark.parametrize(
    "pattern",
    ["/a/<float:x>", "/a/<x>/<int:x>", "/a/<path:rest>/b", "/a/<1bad>"],
)
def test_bad_patterns_rejected_at_registration(pattern):
    with pytest.raises(ValueError):
        Router().add("GET", pattern, echo("x"))


def test_notes_api_uses_path_ids():
    app = build_app()
    created = app.dispatch(Request("POST", "/notes", body=b'{"title": "t1"}'))
    assert created.headers["Location"] == "/notes/1"
    assert app.dispatch(Request("GET", "/notes/1")).json() == {"id": 1, "title": "t1", "text": ""}
    assert app.dispatch(Request("GET", "/notes/2")).status == 404
    assert app.dispatch(Request("PATCH", "/notes/1")).status == 405
    assert app.dispatch(Request("DELETE", "/notes/1")).status == 204
    assert app.dispatch(Request("GET", "/notes/1")).status == 404
    assert app.dispatch(Request("GET", "/notes")).json() == {"notes": []}
