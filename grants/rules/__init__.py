"""The fund's rules as pure functions over plain values, testable without a database.

- steering.py:   quorum, majorities (two thirds above the cap), the tie rule, what a
                 vote means for the item, who presides, what a motion may say
- money.py:      financing types and the binding financing plan, available money,
                 budget changes, how many quotes an amount needs
- dates.py:      meeting days and cut-offs, notification, the appeal period with the
                 Land's holidays, when a grant becomes payable, when the report is due
- submission.py: what stops an application from being submitted
- reports.py:    the simple report (receipt list only) and the unused amount

Services call these and write; views and templates only show their results."""
