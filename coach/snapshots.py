"""The facts the offline analyzer reads (`coach.offline`), taken from the models: an offer
as discovery stores it, a person's profile and entries, and the saved search that found
the offer (where, how remote and what pay they want; its cover-letter template)."""

from __future__ import annotations

import dataclasses

from coach.offline import ExperienceFacts, OfferFacts, ProfileFacts
from discovery.models import Offer, SearchConfig
from profiles.models import Profile, ProfileEntry


def offer_facts(offer: Offer) -> OfferFacts:
    return OfferFacts(
        title=offer.title, company=offer.company, description=offer.description, location=offer.location,
        remote=offer.remote, salary_min=offer.salary_min, salary_max=offer.salary_max,
        salary_currency=offer.salary_currency, salary_period=offer.salary_period,
        contract_type=offer.contract_type, tags=tuple(offer.tags or ()),
    )


def profile_facts(user, config: SearchConfig | None = None) -> ProfileFacts:
    """The person's profile (empty if they have none yet) with `config`'s wishes, if given."""
    profile = Profile.objects.filter(user=user).first()
    entries = list(ProfileEntry.objects.filter(profile=profile).order_by("kind", "position")) if profile else []
    experience = tuple(ExperienceFacts(title=e.title, organisation=e.organisation, start=e.start, end=e.end,
                                       description=e.description)
                       for e in entries if e.kind == ProfileEntry.Kind.EXPERIENCE)
    other = tuple(" ".join(filter(None, [e.title, e.organisation, e.description]))
                  for e in entries if e.kind != ProfileEntry.Kind.EXPERIENCE)
    facts = ProfileFacts(
        full_name=profile.full_name if profile else "", headline=profile.headline if profile else "",
        location=profile.location if profile else "", skills=tuple(profile.skills) if profile else (),
        experience=experience, other_entries=other,
    )
    if config is None:
        return facts
    return dataclasses.replace(facts, wanted_location=config.location, remote_policy=config.remote_policy,
                               target_salary=config.target_salary, salary_currency=config.salary_currency,
                               keywords=tuple(config.keywords or ()))


def template_for(offer: Offer) -> str:
    """The cover-letter template of the saved search that found the offer ("": none)."""
    config = offer.search_config
    return config.cover_letter_template if config is not None else ""
