"""rmtedge's validation suite: theory against Monte Carlo, one experiment per module.

Installed as ``rmtedge.validation`` (the files live in the repository's top-level
``validation/`` folder). Run the whole suite with ``rmtedge validate``; run one experiment with
``python validation/<name>.py``.
"""
