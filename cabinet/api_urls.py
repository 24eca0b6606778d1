"""Cabinet API (/api/v1/cabinet/): the same flows as the pages, as JSON. Each feature
package's `api` module carries a ninja `Router` of its endpoints."""

from ninja import Router

from cabinet.approvals.api import router as approvals
from cabinet.basket.api import router as basket
from cabinet.documents.api import router as documents
from cabinet.invoices.api import router as invoices
from cabinet.lists.api import router as lists
from cabinet.orders.api import router as orders
from cabinet.quickorder.api import router as quickorder
from cabinet.reservations.api import router as reservations
from cabinet.serials.api import router as serials

router = Router()
router.add_router("orders/", orders)
router.add_router("quick-order/", quickorder)
router.add_router("lists/", lists)
router.add_router("basket/", basket)
router.add_router("requisitions/", approvals)
router.add_router("reservations/", reservations)
router.add_router("invoices/", invoices)
router.add_router("documents/", documents)
router.add_router("serials/", serials)
