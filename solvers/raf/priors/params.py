"""Layout of the flat parameter vector every learner prior reads.

``p = [α, ε, λ, zero_λ, μ₁, μ⋆², κ]``; ``zero_λ = 1`` selects the rescaled λ → 0 equations (λ replaced
by 1 in the denominators).
"""

P_ALPHA, P_EPS, P_LAM, P_ZERO_LAM, P_MU1, P_MUSTAR2, P_KAPPA = range(7)
