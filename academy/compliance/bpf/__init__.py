"""The yearly report (bilan pédagogique et financier, BPF; Code du travail L6352-11, Cerfa 10443).

``figures.compute_bpf`` builds every frame from stored facts; ``exports`` writes it as PDF,
CSV, XLSX and JSON; ``models.BpfReport`` (in the compliance app) locks a filed year.
"""
