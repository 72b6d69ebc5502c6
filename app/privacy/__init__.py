"""Privacy (UK GDPR): which tables hold personal data, a subject access export, and erasure.

registry.py names every table and what each holds; handlers.py reads and erases one person's
rows table by table; export.py and erase.py run them for a whole account.
"""
