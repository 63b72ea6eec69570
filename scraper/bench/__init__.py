"""The extraction benchmark behind ``scraper bench``: accuracy, speed and memory in one run.

The data flow, one module per step:

    data.load_set        a set folder -> BenchSet (pages, ground truth, page types)
    runner.run_set       BenchSet x extractors -> SetRun, each extractor in its own worker
                         process (worker.serve), pages interleaved between them
    scoring.score_set    SetRun -> SetFigures, with metric (the AEB shingle F1)
    report               SetFigures -> a text table, JSON, or per-page JSON lines
    suite.run_bench      all of the above over several sets; command.bench_command, the CLI

This package imports nothing on purpose: worker processes import only what they need.
"""
