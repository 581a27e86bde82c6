select
    id as order_id,
    customer_id,
    status,
    amount_cents / 100.0 as amount,
    ordered_at
from {{ source('shop', 'orders') }}
