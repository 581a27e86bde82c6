select
    c.customer_id,
    c.email,
    count(o.order_id) as lifetime_orders,
    coalesce(sum(o.amount), 0) as lifetime_value
from {{ ref('stg_customers') }} as c
left join {{ ref('fct_orders') }} as o using (customer_id)
group by 1, 2
