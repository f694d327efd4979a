"""State judicial aid (国家司法救助) for crime victims in hardship.

An application is a submission of the kind `judicial_aid` (tracking code, query
code, encryption, files, deadlines, replies and ratings come from
`portal.submissions`); this package adds what is its own: the checks of the
amount and the bank account, the decision with the amount granted, the staff
pages for the `judicial_aid` role and the statistics.
"""
