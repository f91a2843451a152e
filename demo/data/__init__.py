"""The demo trusts' data files: published NHS statistics for United Lincolnshire Hospitals
(RWD) and Yorkshire Ambulance Service (RX8), mapped onto each trust's organisation tree,
plus clearly labelled synthetic data where nothing is published.

Pure: pandas, numpy and the standard library only. ``build_all`` writes the files.
"""

from .build import build_all

__all__ = ["build_all"]
