"""Every data file of the knowledge base and the schema it follows.

Adding a data file means adding it here (a YAML file of records: a kind in
``mhwkb.kinds``); the validator, the loaders, the data package descriptor and the published
downloads all read this list.
"""

from mhwkb import schemas as s
from mhwkb import sources
from mhwkb.kinds import RECORD_FILES

INDICATORS = "indicators.yaml"
OBSERVATIONS = "observations.csv"
FACTS = "facts.csv"
RELEASES = "releases.csv"

# YAML files holding lists of records with an ``id``: file stem -> model (from the kinds registry).
RECORDS: dict[str, type] = RECORD_FILES

# CSV files: name -> (model, columns, uniqueness key, description).
CSV_FILES: dict[str, tuple] = {
    OBSERVATIONS: (
        s.Observation,
        s.OBSERVATION_COLUMNS,
        s.Observation.key,
        "Observations of the indicators in indicators.yaml: one row per indicator, series, "
        "period and breakdown.",
    ),
    FACTS: (
        s.Fact,
        s.FACT_COLUMNS,
        lambda f: f.id,
        "Single figures the report gives about a record (a policy, a case study, an event).",
    ),
    RELEASES: (
        sources.Release,
        sources.RELEASE_COLUMNS,
        sources.Release.key,
        "Provenance of the imported official release files: one row per source and period, "
        "the file in force (stored under releases/).",
    ),
}
