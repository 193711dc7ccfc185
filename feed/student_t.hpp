// Fat-tailed draws for the market model: Student-t quantiles in the normal sampler's table format.
#pragma once

#include "rng.hpp"

namespace tickshm::feed {

// The same sampler as NormalTable (4,096 equal-probability bins, linear inside, 20 random bits: an L1
// hit and a multiply-add per draw), filled with the quantiles of Student's t with nu degrees of freedom
// and rescaled so the table's exact discrete distribution has variance 1. So a fat-tailed draw costs
// what a normal one does. nu > 2 (finite variance); nu >= 1000 gives the normal table itself.
using QuantileTable = NormalTable;
QuantileTable make_student_t_table(double nu);

}  // namespace tickshm::feed
