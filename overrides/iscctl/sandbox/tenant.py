"""One sandbox tenant: who exists, who holds tokens, what is planned to fail, what happened.

The HTTP layer (`app.py`) and the runner (`server.py`) both work on this
object; tests reach it through `SandboxServer`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from iscctl.sandbox.auth import TokenBook
from iscctl.sandbox.catalog import Catalog
from iscctl.sandbox.directory import Directory
from iscctl.sandbox.faults import FaultPlan
from iscctl.sandbox.population import Population
from iscctl.sandbox.profile_directory import ProfileDirectory
from iscctl.sandbox.ratelimit import SlidingWindowLimiter
from iscctl.sandbox.settings import ISC_ESCALATION_TIERS, SandboxSettings
from iscctl.sandbox.state import SandboxState
from iscctl.sandbox.tasks import ProcessingBook

# Given an ASGI scope, abort that request's TCP connection; False if it cannot.
ConnectionDropper = Callable[[dict[str, Any]], bool]


class Tenant:
    def __init__(self, settings: SandboxSettings) -> None:
        self.settings = settings
        population = Population.build(
            settings.population_size, settings.seed, settings.identity_ids_file
        )
        # Sources, transforms and profiles of a named tenant have ids of its own (#16).
        self.catalog = Catalog.build(settings.tenant, settings.seed, population.sources)
        admins = {admin.id: admin.name for admin in self.catalog.identities}
        if settings.tenant is not None:  # its admins are identities like any other
            extra = tuple(id_ for id_ in admins if id_ not in population.known)
            population = attrs.evolve(
                population,
                identity_ids=(*population.identity_ids, *extra),
                known=population.known | frozenset(extra),
            )
        self.population = attrs.evolve(population, sources=self.catalog.sources)
        self.directory = Directory(
            self.population,
            settings.seed,
            self.catalog.seeded_profile_ids(),
            names=admins if settings.tenant is not None else None,
        )
        self.processing = ProcessingBook(settings)
        self.tokens = TokenBook(settings.token_ttl, settings.token_max_uses)
        self.limiter = (
            SlidingWindowLimiter(settings.rate_limit, escalation=settings.rate_limit_escalation)
            if settings.rate_limit is not None
            else None
        )
        self.faults = FaultPlan(settings.faults)
        self._escalation_faults = 0  # rate_limit_escalation faults fired so far
        self.state = SandboxState()
        self.profiles = ProfileDirectory(
            self.state,
            self.catalog,
            self.directory,
            seed_profiles=settings.tenant is not None and settings.seed_profiles,
            dropped_mappings=settings.drop_attribute_mappings,
        )
        self.profiles.seed()
        self.drop_connection: ConnectionDropper | None = None
        # Bumped by reset(): a request that started before a reset must not
        # write into the state of whatever (test) comes after it.
        self.generation = 0

    def reset(self) -> None:
        """Forget requests, batches, tasks, profiles, tokens, rate-limit history and faults.

        Settings stay: the population, credentials and limits are those of start-up,
        and a named tenant's seeded profiles are stored again.
        """
        self.generation += 1
        self.state.clear()
        self.processing.clear()
        self.tokens.forget()
        if self.limiter is not None:
            self.limiter.forget()
        self.faults.clear()
        self.profiles.seed()
        self._escalation_faults = 0

    def next_escalation_tier(self) -> int:
        """Retry-After of the next `rate_limit_escalation` fault: the tiers in turn."""
        rule = self.settings.rate_limit_escalation
        tiers = rule.tiers if rule is not None else ISC_ESCALATION_TIERS
        tier = tiers[min(self._escalation_faults, len(tiers) - 1)]
        self._escalation_faults += 1
        return tier
