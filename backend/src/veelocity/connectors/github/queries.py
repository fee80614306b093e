"""The GraphQL documents the connector sends (each validated against GitHub's schema in tests).

Pull requests come newest-updated first with everything the timelines need nested in the
same page: reviews with their comments, PR comments, commits and the ready-for-review and
review-requested events. GitHub prices a query by the connections it could fill (every
`first` taken as full): a page of 100 PRs with these sizes costs about 20 points of the
5,000 an hour, and asks for about 30,000 nodes of the 500,000 allowed. Almost every PR fits
whole; one whose nested list has more is recorded and completed by "Fill PR details".
The description (`body`) is read only for the issue identifiers it names, and each commit's
author e-mail with its account gives developers their e-mail: neither costs a request.
"""

from __future__ import annotations

#: Nested list sizes fetched with each pull request.
REVIEWS = 15
REVIEW_COMMENTS = 10
COMMENTS = 30
COMMITS = 50
TIMELINE = 30
LABELS = 20

RATE_LIMIT_FIELDS = "rateLimit { cost remaining resetAt }"

PULL_REQUEST_FIELDS = f"""
fragment Login on Actor {{
  __typename
  login
}}

fragment PullRequestFields on PullRequest {{
  databaseId
  number
  title
  body
  url
  state
  isDraft
  createdAt
  updatedAt
  mergedAt
  closedAt
  additions
  deletions
  headRefName
  author {{ ...Login }}
  mergeCommit {{ oid }}
  labels(first: {LABELS}) {{ nodes {{ name }} }}
  reviews(first: {REVIEWS}) {{
    pageInfo {{ hasNextPage }}
    nodes {{
      author {{ ...Login }}
      state
      submittedAt
      comments(first: {REVIEW_COMMENTS}) {{
        pageInfo {{ hasNextPage }}
        nodes {{ author {{ ...Login }} createdAt }}
      }}
    }}
  }}
  comments(first: {COMMENTS}) {{
    pageInfo {{ hasNextPage }}
    nodes {{ author {{ ...Login }} createdAt }}
  }}
  commits(first: {COMMITS}) {{
    pageInfo {{ hasNextPage }}
    nodes {{ commit {{ oid authoredDate messageBody author {{ email user {{ login }} }} }} }}
  }}
  timelineItems(first: {TIMELINE}, itemTypes: [READY_FOR_REVIEW_EVENT, REVIEW_REQUESTED_EVENT]) {{
    pageInfo {{ hasNextPage }}
    nodes {{
      __typename
      ... on ReadyForReviewEvent {{ actor {{ ...Login }} createdAt }}
      ... on ReviewRequestedEvent {{
        actor {{ ...Login }}
        createdAt
        requestedReviewer {{
          __typename
          ... on User {{ login }}
          ... on Bot {{ login }}
          ... on Mannequin {{ login }}
          ... on Team {{ slug }}
        }}
      }}
    }}
  }}
}}
"""

PULL_REQUESTS = (
    """
query PullRequests($owner: String!, $name: String!, $first: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequests(
      first: $first
      after: $after
      orderBy: { field: UPDATED_AT, direction: DESC }
    ) {
      pageInfo { hasNextPage endCursor }
      nodes { ...PullRequestFields }
    }
  }
  RATE_LIMIT
}
""".replace("RATE_LIMIT", RATE_LIMIT_FIELDS)
    + PULL_REQUEST_FIELDS
)

DEPLOYMENTS = """
query Deployments($owner: String!, $name: String!, $first: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    deployments(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        databaseId
        environment
        createdAt
        updatedAt
        commitOid
        task
        latestStatus { state createdAt }
      }
    }
  }
  RATE_LIMIT
}
""".replace("RATE_LIMIT", RATE_LIMIT_FIELDS)

#: The ready-for-review and review-requested events of one pull request, whole (for a PR
#: whose timeline did not fit its page).
TIMELINE_EVENTS = """
query TimelineEvents($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      timelineItems(
        first: 100
        after: $after
        itemTypes: [READY_FOR_REVIEW_EVENT, REVIEW_REQUESTED_EVENT]
      ) {
        pageInfo { hasNextPage endCursor }
        nodes {
          __typename
          ... on ReadyForReviewEvent { actor { __typename login } createdAt }
          ... on ReviewRequestedEvent {
            actor { __typename login }
            createdAt
            requestedReviewer {
              __typename
              ... on User { login }
              ... on Bot { login }
              ... on Mannequin { login }
              ... on Team { slug }
            }
          }
        }
      }
    }
  }
  RATE_LIMIT
}
""".replace("RATE_LIMIT", RATE_LIMIT_FIELDS)

#: Pull requests whose changed files one "Fill PR details" request reads: 50 × 100 files
#: is 5,000 nodes, about one point of GitHub's hourly 5,000.
FILES_BATCH = 50
#: Files per pull request in that request; a PR with more is read whole over REST.
FILES = 100


def pull_request_files(numbers: list[int]) -> str:
    """The changed files of several pull requests of one repository in one request, each PR
    under its own alias (`pr123`)."""
    selections = "\n".join(
        f"    pr{int(number)}: pullRequest(number: {int(number)}) {{\n"
        f"      number\n"
        f"      files(first: {FILES}) {{\n"
        f"        pageInfo {{ hasNextPage }}\n"
        f"        nodes {{ path additions deletions }}\n"
        f"      }}\n"
        f"    }}"
        for number in numbers
    )
    return (
        "query PullRequestFiles($owner: String!, $name: String!) {\n"
        "  repository(owner: $owner, name: $name) {\n"
        f"{selections}\n"
        "  }\n"
        f"  {RATE_LIMIT_FIELDS}\n"
        "}\n"
    )


#: Every document the connector sends, by name (the schema test walks this).
ALL: dict[str, str] = {
    "PullRequests": PULL_REQUESTS,
    "Deployments": DEPLOYMENTS,
    "TimelineEvents": TIMELINE_EVENTS,
    "PullRequestFiles": pull_request_files([1, 2]),
}
