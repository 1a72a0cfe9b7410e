import pytest

from templ import Environment, TemplateSyntaxError, UndefinedError


def render(source, data=None, **kw):
    return Environment(**kw).from_string(source).render(data or {})


# --- existing behaviour -----------------------------------------------------

def test_plain_substitution_and_paths():
    data = {"user": {"name": "Ada", "langs": ["py", "ml"]}}
    assert render("Hi {{ user.name }} ({{ user.langs.1 }})", data) == "Hi Ada (ml)"


def test_if_for_and_loop_variables():
    src = "{% for x in xs %}{{ loop.index }}={{ x }}{% if loop.last %}.{% else %}, {% endif %}{% endfor %}"
    assert render(src, {"xs": ["a", "b", "c"]}) == "1=a, 2=b, 3=c."


def test_missing_values_and_strict_mode():
    assert render("[{{ nope.deeper }}]") == "[]"
    with pytest.raises(UndefinedError):
        render("{{ nope }}", strict=True)


def test_syntax_errors_have_line_numbers():
    with pytest.raises(TemplateSyntaxError) as info:
        render("line one\n{% for x in %}\n{% endfor %}")
    assert info.value.lineno == 2


# --- filters ----------------------------------------------------------------

def test_builtin_string_filters():
    data = {"name": "  Ada Lovelace ", "city": "London"}
    assert render("{{ name | trim | upper }}", data) == "ADA LOVELACE"
    assert render("{{ city|lower }}", data) == "london"
    assert render("{{ 'Mixed' | upper }}", data) == "MIXED"


def test_filter_chain_runs_left_to_right():
    env = Environment()
    env.add_filter("wrap", lambda value, left, right: f"{left}{value}{right}")
    tpl = env.from_string("{{ word | wrap:'<','>' | upper }}")
    assert tpl.render({"word": "hi"}) == "<HI>"
    tpl = env.from_string("{{ word | upper | wrap:'[',']' }}")
    assert tpl.render({"word": "hi"}) == "[HI]"


def test_join_and_length():
    data = {"tags": ["a", "b", "c"]}
    assert render("{{ tags | join }}", data) == "a, b, c"
    assert render('{{ tags | join:" | " }}', data) == "a | b | c"
    assert render("{{ tags | join:':' }}", data) == "a:b:c"
    assert render("{{ tags | length }}", data) == "3"


def test_default_filter():
    data = {"title": "", "name": "Bob", "fallback": "from-data"}
    assert render('{{ title | default:"Untitled" }}', data) == "Untitled"
    assert render('{{ name | default:"Untitled" }}', data) == "Bob"
    assert render('{{ missing | default:"n/a" }}', data) == "n/a"
    assert render("{{ missing | default:fallback }}", data) == "from-data"


def test_default_works_for_missing_values_in_strict_mode():
    env = Environment(strict=True)
    assert env.from_string('{{ user.nickname | default:"anon" }}').render({"user": {}}) == "anon"
    with pytest.raises(UndefinedError):
        env.from_string("{{ user.nickname | upper }}").render({"user": {}})


def test_filters_in_for_and_if_blocks():
    env = Environment()
    env.add_filter("sorted", lambda value: sorted(value))
    src = "{% for t in tags | sorted %}{{ t }};{% endfor %}{% if tags | length %}!{% endif %}"
    assert env.from_string(src).render({"tags": ["b", "c", "a"]}) == "a;b;c;!"
    assert env.from_string(src).render({"tags": []}) == ""


def test_custom_filter_with_integer_argument():
    env = Environment()
    env.add_filter("truncate", lambda value, n: value if len(value) <= n else value[:n] + "...")
    tpl = env.from_string("{{ body | truncate:5 }}")
    assert tpl.render({"body": "Hello world"}) == "Hello..."
    assert tpl.render({"body": "Hi"}) == "Hi"


def test_unknown_filter_is_a_compile_time_error_with_line():
    env = Environment()
    with pytest.raises(TemplateSyntaxError) as info:
        env.from_string("ok\n\n{{ name | shout }}")
    assert info.value.lineno == 3
    assert "shout" in str(info.value)


def test_filters_are_per_environment():
    first, second = Environment(), Environment()
    first.add_filter("twice", lambda value: value * 2)
    assert first.from_string("{{ x | twice }}").render({"x": "ab"}) == "abab"
    with pytest.raises(TemplateSyntaxError):
        second.from_string("{{ x | twice }}")
