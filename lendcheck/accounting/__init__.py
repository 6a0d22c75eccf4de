"""The Xero Accounting API as a source: its fetch plan (:mod:`.plan`), response models
(:mod:`.models`), the books read from them (:mod:`.books`) and the report figures they give
(:mod:`.metrics`)."""
