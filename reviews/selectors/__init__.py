"""The reviews reads, one module per subject.

``ratings``: what a rating run and the ratings pages read. ``packs``: data packs, the action log and the
FPEC summary paper. ``prm_slot``: the trust's PRM slot and review frequencies, from its profile. The IPR's
reads are ``reviews.ipr.selectors``. The rating reads are also named here, as ``reviews.selectors.<name>``,
for the readers written before the package.
"""

from .ratings import KpiFacts as KpiFacts
from .ratings import RatingInputs as RatingInputs
from .ratings import freedoms_for as freedoms_for
from .ratings import latest_review as latest_review
from .ratings import published_months as published_months
from .ratings import rating_inputs as rating_inputs
from .ratings import ratings_of as ratings_of
from .ratings import selects as selects
from .ratings import stored_ratings as stored_ratings
