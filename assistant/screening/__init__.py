"""Reading untrusted text: prompt injection and hidden characters, folding for matching, and personal-data redaction."""
