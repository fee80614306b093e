"""The Linear connector: teams, workflow states, cycles, projects, users, labels and issues
with their history and attachments, on the shared sync machinery."""
