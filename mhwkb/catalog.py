"""Every data file of the knowledge base and the schema it follows.

Adding a data file means adding it here; the validator, the loaders, the data package
descriptor and the published downloads all read this list.
"""

from mhwkb import schemas as s
from mhwkb import sources

INDICATORS = "indicators.yaml"
OBSERVATIONS = "observations.csv"
FACTS = "facts.csv"
RELEASES = "releases.csv"

# YAML files holding lists of records with an ``id``: file stem -> model.
RECORDS: dict[str, type] = {
    "tables": s.Table,
    "quality_notes": s.QualityNote,
    "organisations": s.Organisation,
    "themes": s.Theme,
    "policies": s.Policy,
    "developments": s.Development,
    "consultation_events": s.ConsultationEvent,
    "participant_groups": s.ParticipantGroup,
    "findings": s.Finding,
    "boxes": s.Box,
    "case_studies": s.CaseStudy,
    "related_studies": s.RelatedStudy,
    "recommendations": s.Recommendation,
    "sources": sources.Source,
}

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
