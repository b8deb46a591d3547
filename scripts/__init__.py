"""The project's commands. A package so that `python -m scripts.deploy`, run from the repository
root, finds this folder and no other `scripts` an interpreter may have installed."""
