"""lms.generations: values stored under generation tokens, read back only under the same ones."""

from __future__ import annotations

from unittest import mock

from lms import generations


def test_a_value_is_read_back_under_the_tokens_it_was_made_under():
    value, tokens = generations.read("t:key", "t:gen-a", "t:gen-b")
    assert value is None and tokens is not None and len(tokens) == 2
    generations.write("t:key", tokens, {"x": 1}, 60)
    assert generations.read("t:key", "t:gen-a", "t:gen-b") == ({"x": 1}, tokens)


def test_moving_any_token_retires_the_value():
    _value, tokens = generations.read("t:key2", "t:gen-a", "t:gen-b")
    generations.write("t:key2", tokens, [1, 2], 60)
    generations.move("t:gen-b")
    value, new_tokens = generations.read("t:key2", "t:gen-a", "t:gen-b")
    assert value is None and new_tokens[0] == tokens[0] and new_tokens[1] != tokens[1]


def test_a_failing_cache_reads_nothing_and_stores_nothing():
    broken = mock.Mock(**{f"{n}.side_effect": ConnectionError for n in ("get_many", "set")})
    with mock.patch.object(generations, "cache", broken):
        assert generations.read("t:key3", "t:gen") == (None, None)
        generations.write("t:key3", None, "v", 60)  # no call, no error
        generations.write("t:key3", ("tok",), "v", 60)  # the error is logged, not raised
    assert broken.set.call_count == 1
