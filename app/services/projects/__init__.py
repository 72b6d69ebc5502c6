"""A trainee's real QI project: who may see it, its parts, handover and the evidence pack.

Every read or write of a project goes through `access.project_access`, so nothing is ever shown
outside the team and the lead's supervisors.
"""
