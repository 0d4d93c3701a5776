"""The seeded population: the same ids for the same seed, on every machine and release."""

from __future__ import annotations

from iscctl.sandbox.population import Population, seeded_identity_ids, seeded_sources


def test_seed_1_ids_never_change() -> None:
    # Users' CI may store these ids; a change here breaks them, so it must be deliberate.
    assert seeded_identity_ids(3, 1) == [
        "1fc40847bfcb2d80e84d3af5890e8c57",
        "48bf94a60018904fe5659a54a0b4d420",
        "5e303d6e6d172b456743c174e091f60b",
    ]
    assert seeded_sources(1)[0].id == "ee906bf1027c3299799e154f84ad9540"


def test_a_bigger_population_starts_with_the_smaller_one() -> None:
    assert seeded_identity_ids(1000, 7)[:10] == seeded_identity_ids(10, 7)


def test_ids_are_distinct_lowercase_hex() -> None:
    ids = seeded_identity_ids(10_000, 3)
    assert len(set(ids)) == 10_000
    assert all(len(i) == 32 and set(i) <= set("0123456789abcdef") for i in ids)


def test_unknown_lists_each_missing_id_once_in_order() -> None:
    population = Population.build(5, 1, None)
    known = population.identity_ids[0]
    assert population.unknown([known, "b", "a", "b"]) == ["b", "a"]
    assert population.unknown([known]) == []


def test_sources_resolve_by_id_first_then_by_name() -> None:
    population = Population.build(0, 1, None)
    first, second = population.sources[:2]
    assert population.resolve_source(second.id, first.name) == second
    assert population.resolve_source("nope", first.name) == first
    assert population.resolve_source(None, None) is None
