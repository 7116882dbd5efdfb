"""The law's references: the provisions and cases that exist, and what each kind of passage may say."""
