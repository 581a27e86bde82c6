{{ config(tags=['deprecated']) }}

select date_trunc('month', ordered_at) as month, sum(amount) as revenue
from {{ ref('fct_orders') }}
group by 1
