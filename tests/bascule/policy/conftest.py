import policy_support  # noqa: F401  (puts the repo and the sample pack on sys.path)
