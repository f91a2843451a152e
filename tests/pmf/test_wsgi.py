import gc
import importlib


def test_the_wsgi_application_keeps_its_loaded_objects_out_of_the_collector_s_way():
    gc.unfreeze()
    try:
        module = importlib.reload(importlib.import_module("roof.wsgi"))

        assert callable(module.application)
        assert gc.get_freeze_count() > 10_000  # Django and the app's modules, frozen once loaded
    finally:
        gc.unfreeze()
