"""Appointments for defence lawyers and litigation agents (辩护与代理预约).

A request is a submission of the kind `lawyer_appointment` (tracking code,
query code, encryption, proofs, mail come from `portal.submissions`); this
package adds what is its own: the licence and case-number checks, the slots a
department publishes with their capacity, the appointment kept beside each
request (department, status, slot, answer due), and the pages of the case
officers and of the lawyer.
"""
