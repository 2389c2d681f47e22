"""Per-page string tables; ``ui.i18n`` merges every module here (EN and ZH dicts)."""
