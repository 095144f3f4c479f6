from tests import builders, scenario


@scenario.shared
def region():
    """The host park (school "a") and a visiting school ("v"), each with two groups of three
    pupils, and the course scenario of tests/builders.build_two_schools. Contests are made by
    each test (tests/contests/builders.py): they are cheap."""
    return {"two": builders.build_two_schools(pupils=3)}
