"""Security concerns: headers now; passwords, sessions and CSRF as they arrive."""
