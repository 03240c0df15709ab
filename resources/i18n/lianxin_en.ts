<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>CartTableModel</name>
    <message>
        <location filename="../../ui/cart_model.py" line="23" />
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../ui/cart_model.py" line="23" />
        <source>商品</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../ui/cart_model.py" line="24" />
        <source>数量</source>
        <translation>Qty</translation>
    </message>
    <message>
        <location filename="../../ui/cart_model.py" line="24" />
        <source>单价</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../../ui/cart_model.py" line="25" />
        <source>金额</source>
        <translation>Amount</translation>
    </message>
</context>
<context>
    <name>CheckoutWindow</name>
    <message>
        <location filename="../../ui/checkout.py" line="121" />
        <source>连心收银 — {store} · {counter}</source>
        <translation>LianXin POS — {store} · {counter}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="130" />
        <source>请扫码或输入条码 / PLU，回车加入</source>
        <translation>Scan or type a barcode / PLU, then Enter</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="145" />
        <source>数量</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="146" />
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="147" />
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="148" />
        <source>现金收款</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="149" />
        <source>退出登录</source>
        <translation>Log out</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="167" />
        <source>收银机 {terminal}</source>
        <translation>Till {terminal}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="168" />
        <source>收银员 {name}</source>
        <translation>Cashier {name}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="182" />
        <source>扫描或输入条码 / PLU / 货号</source>
        <translation>Scan or type barcode / PLU / SKU</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="186" />
        <source>条码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="235" />
        <source>上一单小票</source>
        <translation>Last receipt</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="237" />
        <source>暂无</source>
        <translation>None yet</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="321" />
        <source>件数 {n}</source>
        <translation>Items {n}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="322" />
        <source>合计 {total}</source>
        <translation>Total {total}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="404" />
        <source>已加入：{name} × {qty}</source>
        <translation>Added: {name} × {qty}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="445" />
        <source>请确认</source>
        <translation>Please confirm</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="446" />
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="447" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="464" />
        <location filename="../../ui/checkout.py" line="482" />
        <source>请先选择一行商品（↑↓ 键或点选）</source>
        <translation>Select a line first (↑↓ keys or tap)</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="473" />
        <source>已修改数量：{name} × {qty}</source>
        <translation>Quantity changed: {name} × {qty}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="487" />
        <source>已删除：{name}</source>
        <translation>Removed: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="493" />
        <source>确定清空本单全部商品？</source>
        <translation>Remove every item from this sale?</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="495" />
        <source>本单已清空</source>
        <translation>The sale was cleared</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="501" />
        <source>本单尚未结账，退出登录将清空本单。确定退出登录？</source>
        <translation>This sale is not paid. Logging out drops it. Log out anyway?</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="516" />
        <source>本单没有商品，请先扫码</source>
        <translation>The sale has no items; scan something first</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="527" />
        <source>正在保存交易…</source>
        <translation>Saving the sale…</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="537" />
        <source>交易完成  单号 {no}  实收 {paid}  找零 {change}</source>
        <translation>Sale complete  No. {no}  Paid {paid}  Change {change}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="541" />
        <source>正在打印小票…</source>
        <translation>Printing the receipt…</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="560" />
        <source>单号 {no}</source>
        <translation>Receipt {no}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="587" />
        <source>正在保存交易，请稍候…</source>
        <translation>Saving the sale, please wait…</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login.py" line="37" />
        <source>登录 — 连心收银</source>
        <translation>Log in — LianXin POS</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="40" />
        <source>连心收银 · 登录</source>
        <translation>LianXin POS · Log in</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="43" />
        <source>收银机 {terminal}</source>
        <translation>Till {terminal}</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="48" />
        <source>正在读取用户…</source>
        <translation>Loading users…</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="56" />
        <source>密码（4–8 位数字）</source>
        <translation>PIN (4–8 digits)</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="62" />
        <source>登录 Enter</source>
        <translation>Log in  Enter</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="66" />
        <source>退出 Esc</source>
        <translation>Quit  Esc</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="77" />
        <source>用户</source>
        <translation>User</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="79" />
        <source>密码</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="96" />
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="96" />
        <source>店长</source>
        <translation>Manager</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="97" />
        <source>会计</source>
        <translation>Accountant</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="97" />
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="129" />
        <source>请选择用户</source>
        <translation>Choose a user</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="133" />
        <source>请输入密码</source>
        <translation>Enter the PIN</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <location filename="../../ui/payment.py" line="45" />
        <source>现金收款</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="49" />
        <source>应收</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="55" />
        <source>实收</source>
        <translation>Tendered</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="64" />
        <source>找零</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="80" />
        <source>凑整</source>
        <translation>Round up</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="90" />
        <source>确认收款 Enter</source>
        <translation>Confirm  Enter</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="94" />
        <source>取消 Esc</source>
        <translation>Cancel  Esc</translation>
    </message>
</context>
<context>
    <name>QuantityDialog</name>
    <message>
        <location filename="../../ui/quantity.py" line="58" />
        <source>输入重量</source>
        <translation>Enter weight</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="58" />
        <source>修改数量</source>
        <translation>Change quantity</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="65" />
        <source>按重量销售，请输入千克数（如 1.255）</source>
        <translation>Sold by weight: enter kilograms (e.g. 1.255)</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="66" />
        <source>请输入数量</source>
        <translation>Enter the quantity</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="74" />
        <source>千克</source>
        <translation>kg</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="74" />
        <source>件</source>
        <translation>pcs</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="84" />
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="87" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../ui/app.py" line="40" />
        <source>连心收银</source>
        <translation>LianXin POS</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="55" />
        <source>连心收银无法启动</source>
        <translation>LianXin POS cannot start</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <location filename="../../ui/messages.py" line="26" />
        <source>系统错误：{detail}，交易未保存</source>
        <translation>System error: {detail}; the sale was not saved</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="41" />
        <source>小票 {no} 未能打印：{reason}（交易已保存）</source>
        <translation>Receipt {no} was not printed: {reason} (the sale is saved)</translation>
    </message>
</context>
</TS>