-- The mean claimed score per dimension, from `sansang aggregate --format answers-csv -o answers.csv`
-- (one row per assessment and question): the means of `aggregate --format json` ("all" group).
-- Run it with `duckdb -c ".read docs/answers-dimension-means.sql"` or from Python
-- (`duckdb.sql(open(...).read())`); replace answers.csv by your file (a glob such as
-- 'answers-*.csv' reads several).
WITH contributions AS (
    SELECT questionnaire, file, v, unnest(string_split(dimensions, ';')) AS contribution
    FROM read_csv('answers.csv', header = true, types = {'v': 'DOUBLE', 'dimensions': 'VARCHAR'})
    WHERE v IS NOT NULL AND dimensions IS NOT NULL
),
weighted AS (
    SELECT questionnaire, file, v,
           split_part(contribution, ':', 1) AS dimension,
           CAST(split_part(contribution, ':', 2) AS DOUBLE) AS weight
    FROM contributions
),
scores AS (
    -- A respondent's dimension score: 100 × Σ(w·v) / Σ(w) over answered questions.
    SELECT questionnaire, file, dimension, 100 * sum(weight * v) / sum(weight) AS score
    FROM weighted
    GROUP BY questionnaire, file, dimension
)
SELECT questionnaire, dimension, avg(score) AS mean, count(*) AS respondents
FROM scores
GROUP BY questionnaire, dimension
ORDER BY questionnaire, dimension;
