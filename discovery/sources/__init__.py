"""Job-board sources: one module each, all producing `FoundOffer`s.

Keyword sources (`search(keyword)`) look across a whole board; company-board sources
(`board(name)`) list one company's openings. Each module also has a pure `parse(payload)`
that the tests and `manage.py parse_offer` use on recorded or documented payloads, and a
`recognises(payload)` saying whether a payload is its answer (`detect` uses them to tell
what a saved document is); `parse` refuses, with a SourceError, a payload it does not
recognise, and makes no offer of an empty answer.
"""

from discovery.sources import (  # keyword sources
    apec, arbeitnow, francetravail, himalayas, jobicy, monster, remoteok, remotive, weworkremotely)
from discovery.sources import (  # company-board sources
    ashby, greenhouse, lever, personio, recruitee, smartrecruiters, teamtailor, workable)

KEYWORD_SOURCES = {module.NAME: module for module in (remotive, remoteok, arbeitnow, weworkremotely, himalayas,
                                                         jobicy, francetravail, apec, monster)}
BOARD_SOURCES = {module.NAME: module for module in (greenhouse, lever, ashby, smartrecruiters, teamtailor, workable,
                                                       recruitee, personio)}
ALL_SOURCES = {**KEYWORD_SOURCES, **BOARD_SOURCES}
