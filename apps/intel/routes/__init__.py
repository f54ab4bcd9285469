"""URL patterns of the intelligence app, one module per area; ``apps/intel/urls.py`` joins them."""
