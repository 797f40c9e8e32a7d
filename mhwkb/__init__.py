"""Mental health workforce knowledge base: load, check and chart the data in ``data/``.

Chapters use the loaders by id (``indicator``, ``observations``, ``records``, ``facts``,
``reference``, ``source_name``),
never file paths; ``mhwkb.validate`` checks every data file; ``mhwkb.charts`` draws
accessible, offline charts; ``mhwkb.refresh`` re-executes chapters whose inputs changed.
"""

from mhwkb.data import (
    fact,
    facts,
    indicator,
    indicators,
    observation,
    observation_row,
    observations,
    record,
    records,
    reference,
    source_name,
)

__all__ = [
    "fact",
    "facts",
    "indicator",
    "indicators",
    "observation",
    "observation_row",
    "observations",
    "record",
    "records",
    "reference",
    "source_name",
]
