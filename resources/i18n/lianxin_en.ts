<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ApprovalDialog</name>
    <message>
        <location filename="../../ui/approval.py" line="43" />
        <location filename="../../ui/approval.py" line="47" />
        <source>店长授权</source>
        <translation>Manager approval</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="52" />
        <source>内容：{detail}</source>
        <translation>For: {detail}</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="58" />
        <source>正在读取店长名单…</source>
        <translation>Reading the managers…</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="68" />
        <source>店长密码</source>
        <translation>Manager's PIN</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="74" />
        <source>授权 Enter</source>
        <translation>Approve Enter</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="78" />
        <source>取消 Esc</source>
        <translation>Cancel Esc</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="90" />
        <source>授权人（↑↓ 选择）</source>
        <translation>Approved by (↑↓ to choose)</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="92" />
        <source>密码</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="121" />
        <source>没有可以授权的店长</source>
        <translation>No one here may approve this</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="140" />
        <source>请选择授权人</source>
        <translation>Please choose who approves</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="144" />
        <source>请输入密码</source>
        <translation>Please enter the PIN</translation>
    </message>
</context>
<context>
    <name>CartTableModel</name>
    <message>
        <location filename="../../ui/cart_model.py" line="32" />
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../ui/cart_model.py" line="32" />
        <source>商品</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../ui/cart_model.py" line="33" />
        <source>数量</source>
        <translation>Qty</translation>
    </message>
    <message>
        <location filename="../../ui/cart_model.py" line="33" />
        <source>单价</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../../ui/cart_model.py" line="34" />
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../ui/cart_model.py" line="34" />
        <source>优惠</source>
        <translation>Discount</translation>
    </message>
    <message>
        <location filename="../../ui/cart_model.py" line="52" />
        <source>原价 {price}</source>
        <translation>was {price}</translation>
    </message>
    <message>
        <location filename="../../ui/cart_model.py" line="122" />
        <source>称重条码 {amount}</source>
        <translation>scale label {amount}</translation>
    </message>
</context>
<context>
    <name>CheckoutWindow</name>
    <message>
        <location filename="../../ui/checkout.py" line="188" />
        <source>连心收银 — {store} · {counter}</source>
        <translation>LianXin POS — {store} · {counter}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="213" />
        <source>数量</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="222" />
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="223" />
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="224" />
        <source>退出登录</source>
        <translation>Log out</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="252" />
        <source>收银机 {terminal}</source>
        <translation>Till {terminal}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="253" />
        <source>收银员 {name}</source>
        <translation>Cashier {name}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="272" />
        <source>条码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="329" />
        <source>上一单小票</source>
        <translation>Last receipt</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="331" />
        <source>暂无</source>
        <translation>None yet</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="452" />
        <source>件数 {n}</source>
        <translation>Items {n}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="582" />
        <source>已加入：{name} × {qty}</source>
        <translation>Added: {name} × {qty}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="638" />
        <source>请确认</source>
        <translation>Please confirm</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="639" />
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="640" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="508" />
        <source>请先选择一行商品（↑↓ 键或点选）</source>
        <translation>Select a line first (↑↓ keys or tap)</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="197" />
        <source>请扫码或输入条码 / PLU，回车加入；F3 搜索商品</source>
        <translation>Scan or type a barcode / PLU and press Enter; F3 to search</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="212" />
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="214" />
        <source>折扣</source>
        <translation>Discount</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="215" />
        <location filename="../../ui/checkout.py" line="838" />
        <source>整单折扣</source>
        <translation>Sale discount</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="216" />
        <location filename="../../ui/checkout.py" line="872" />
        <source>改价</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="217" />
        <source>挂单</source>
        <translation>Hold</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="218" />
        <source>取单</source>
        <translation>Recall</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="219" />
        <source>退货</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="220" />
        <source>重印</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="221" />
        <source>收款</source>
        <translation>Pay</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="225" />
        <source>练习</source>
        <translation>Training</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="267" />
        <source>扫描或输入条码 / PLU / 货号 / 拼音</source>
        <translation>Scan or type a barcode / PLU / SKU / pinyin</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="397" />
        <source>练习模式 — 不计入营业额</source>
        <translation>TRAINING MODE — not counted in takings</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="453" />
        <source>合计 {gross}</source>
        <translation>Subtotal {gross}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="455" />
        <source>优惠 {off}</source>
        <translation>Discount {off}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="457" />
        <source>（整单{what}）</source>
        <translation> (sale {what})</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="460" />
        <source>抹零 {adj}</source>
        <translation>Rounding {adj}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="462" />
        <source>应收 {total}</source>
        <translation>Due {total}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="567" />
        <source>这是付款码：请先扫商品，再按 F12 收款</source>
        <translation>That is a payment code: scan the goods first, then F12 to pay</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="579" />
        <source>已加入：{name} {qty}  {amount}（称重码）</source>
        <translation>Added: {name} {qty}  {amount} (scale label)</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="661" />
        <source>未获店长授权，操作已取消</source>
        <translation>Not approved by a manager; nothing was changed</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="754" />
        <source>已修改数量：{name} × {qty}</source>
        <translation>Quantity changed: {name} × {qty}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="806" />
        <source>已取消折扣：{name}</source>
        <translation>Discount removed: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="807" />
        <source>已打折：{name} {what}，优惠 {off}</source>
        <translation>Discounted: {name} {what}, {off} off</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="811" />
        <source>单品折扣</source>
        <translation>Line discount</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="812" />
        <source>{name}  金额 {gross}</source>
        <translation>{name}  amount {gross}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="813" />
        <source>输入 10%、9折 或金额 5（减 5 元）；0 取消折扣。超过 10% 需店长授权</source>
        <translation>Type 10%, 9折 (pay 90%) or an amount like 5 (5 yuan off); 0 removes it. Over 10% needs a manager</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="815" />
        <location filename="../../ui/checkout.py" line="842" />
        <source>9.5折</source>
        <translation>5% off</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="815" />
        <location filename="../../ui/checkout.py" line="842" />
        <source>9折</source>
        <translation>10% off</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="815" />
        <location filename="../../ui/checkout.py" line="842" />
        <source>8折</source>
        <translation>20% off</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="816" />
        <location filename="../../ui/checkout.py" line="843" />
        <source>取消折扣</source>
        <translation>No discount</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="832" />
        <source>已取消整单折扣</source>
        <translation>Sale discount removed</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="834" />
        <source>整单{what}，整单优惠 {off}</source>
        <translation>Sale {what}, {off} off the sale</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="839" />
        <source>本单 {n} 件  金额 {amount}</source>
        <translation>This sale: {n} items, amount {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="840" />
        <source>输入 10%、9折 或金额 5（减 5 元）；0 取消。超过 10% 需店长授权</source>
        <translation>Type 10%, 9折 (pay 90%) or an amount like 5 (5 yuan off); 0 removes it. Over 10% needs a manager</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="841" />
        <source>整单 {what}</source>
        <translation>whole sale {what}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="867" />
        <source>已改价：{name} {old} → {new}</source>
        <translation>Price changed: {name} {old} → {new}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="870" />
        <source>（每千克）</source>
        <translation> (per kg)</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="873" />
        <source>{name}  现价 {price}{unit}</source>
        <translation>{name}  now {price}{unit}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="875" />
        <source>输入新单价（元）；改价需店长授权并记录</source>
        <translation>Type the new unit price in yuan; a manager approves and it is journaled</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="890" />
        <source>已删除：{name}</source>
        <translation>Removed: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="899" />
        <source>确定清空本单全部商品？</source>
        <translation>Remove every item from this sale?</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="900" />
        <source>本单已清空</source>
        <translation>The sale was cleared</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="909" />
        <source>清空本单</source>
        <translation>clear the sale</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="918" />
        <source>本单尚未结账，退出登录将清空本单。确定退出登录？</source>
        <translation>This sale is not paid. Logging out drops it. Log out anyway?</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="931" />
        <source>已挂单，挂单号 {no}（按 F9 取单）</source>
        <translation>Sale held as number {no} (F9 to recall)</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="933" />
        <location filename="../../ui/checkout.py" line="967" />
        <source>正在挂单…</source>
        <translation>Holding the sale…</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="948" />
        <source>已取出挂单 {no}</source>
        <translation>Held sale {no} recalled</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="952" />
        <source>正在取单…</source>
        <translation>Recalling…</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="957" />
        <source>当前单尚未结账。先把当前单挂起，再取出挂单 {no}？</source>
        <translation>This sale is not paid yet. Hold it first, then recall held sale {no}?</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="958" />
        <source>未取单：当前单保留</source>
        <translation>Nothing recalled: the current sale stays</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="964" />
        <source>当前单已挂起，挂单号 {no}</source>
        <translation>The current sale is held as number {no}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="978" />
        <source>请先结账或清空本单，再切换练习模式</source>
        <translation>Finish or clear the sale before switching training mode</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="983" />
        <source>练习模式</source>
        <translation>training mode</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="996" />
        <source>已进入练习模式：交易单号为 T 系列，不计入营业额</source>
        <translation>Training mode on: sales are numbered T… and not counted</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="998" />
        <source>已退出练习模式</source>
        <translation>Training mode off</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="1010" />
        <source>本单没有商品，请先扫码</source>
        <translation>The sale has no items; scan something first</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="1027" />
        <source>正在保存交易…</source>
        <translation>Saving the sale…</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="1043" />
        <source>交易完成  单号 {no}  实收 {paid}  找零 {change}</source>
        <translation>Sale complete  No. {no}  Paid {paid}  Change {change}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="1071" />
        <source>正在打印小票…</source>
        <translation>Printing the receipt…</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="1103" />
        <source>重印小票</source>
        <translation>Reprint a receipt</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="1103" />
        <source>默认重印上一单；也可扫描或输入小票号</source>
        <translation>The last receipt, or scan or type another receipt number</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="1104" />
        <source>小票号如 MX01-20261122-0001</source>
        <translation>A receipt number like MX01-20261122-0001</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="1115" />
        <source>已重印小票 {no}</source>
        <translation>Receipt {no} reprinted</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="1117" />
        <source>正在重印…</source>
        <translation>Reprinting…</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="1134" />
        <source>退货完成  退货单 {no}  退款 {total}</source>
        <translation>Return done  return {no}  refund {total}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="1141" />
        <source>正在保存，请稍候…</source>
        <translation>Saving, please wait…</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="1065" />
        <source>单号 {no}</source>
        <translation>Receipt {no}</translation>
    </message>
</context>
<context>
    <name>HeldSalesDialog</name>
    <message>
        <location filename="../../ui/holds.py" line="94" />
        <source>取单</source>
        <translation>Recall</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="98" />
        <source>挂单列表</source>
        <translation>Held sales</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="104" />
        <source>输入挂单号，或 ↑↓ 选择后 Enter</source>
        <translation>Type the hold number, or choose with ↑↓ and Enter</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="117" />
        <source>正在读取挂单…</source>
        <translation>Reading held sales…</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="119" />
        <source>取单 Enter</source>
        <translation>Recall Enter</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="124" />
        <source>返回 Esc</source>
        <translation>Back Esc</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="150" />
        <source>共 {n} 张挂单</source>
        <translation>{n} held sales</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="152" />
        <source>没有挂单</source>
        <translation>No held sales</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="165" />
        <source>请输入挂单号</source>
        <translation>Please type a hold number</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="171" />
        <source>没有编号为 {no} 的挂单</source>
        <translation>There is no held sale number {no}</translation>
    </message>
</context>
<context>
    <name>HeldSalesModel</name>
    <message>
        <location filename="../../ui/holds.py" line="68" />
        <source>{n} 行</source>
        <translation>{n} lines</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="76" />
        <source>挂单号</source>
        <translation>Hold no.</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="76" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="77" />
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="77" />
        <source>商品</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="78" />
        <source>金额</source>
        <translation>Amount</translation>
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
    <name>NoReceiptLinesModel</name>
    <message>
        <location filename="../../ui/returns.py" line="295" />
        <source>商品</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="295" />
        <source>数量</source>
        <translation>Qty</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="296" />
        <source>单价</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="296" />
        <source>退款</source>
        <translation>Refund</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <location filename="../../ui/payment.py" line="141" />
        <source>应收</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="64" />
        <source>现金</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="65" />
        <source>微信</source>
        <translation>WeChat</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="66" />
        <source>支付宝</source>
        <translation>Alipay</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="67" />
        <source>银联/聚合</source>
        <translation>UnionPay/terminal</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="68" />
        <source>消费券</source>
        <translation>Voucher</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="69" />
        <source>单位挂账</source>
        <translation>On account</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="127" />
        <source>收款</source>
        <translation>Pay</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="141" />
        <source>已收</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="142" />
        <source>还需</source>
        <translation>Left</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="143" />
        <source>找零</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="161" />
        <source>删除一笔 F8</source>
        <translation>Remove one F8</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="165" />
        <source>已收款项</source>
        <translation>Taken so far</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="216" />
        <source>凑整</source>
        <translation>Round up</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="241" />
        <source>确认收款 Enter</source>
        <translation>Confirm  Enter</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="246" />
        <source>取消 Esc</source>
        <translation>Cancel  Esc</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="313" />
        <source>实收现金</source>
        <translation>Cash given</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="314" />
        <source>微信金额</source>
        <translation>WeChat amount</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="314" />
        <location filename="../../ui/payment.py" line="315" />
        <source>付款码（扫码，可不填）</source>
        <translation>Payment code (scan; optional)</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="315" />
        <source>支付宝金额</source>
        <translation>Alipay amount</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="316" />
        <source>刷卡金额</source>
        <translation>Card amount</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="316" />
        <source>终端参考号（必填）</source>
        <translation>Terminal reference (required)</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="317" />
        <source>券面金额</source>
        <translation>Face value</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="317" />
        <source>消费券券号（必填）</source>
        <translation>Voucher number (required)</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="318" />
        <source>挂账金额</source>
        <translation>Amount on account</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="318" />
        <source>挂账单位编码（必填）</source>
        <translation>Account code (required)</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="327" />
        <source>如 PHGH</source>
        <translation>e.g. PHGH</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="327" />
        <source>扫描或输入券号</source>
        <translation>Scan or type the voucher number</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="361" />
        <source>回车确认：{kind} {amount}</source>
        <translation>Enter to confirm: {kind} {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="363" />
        <source>，找零 {change}</source>
        <translation>, change {change}</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="397" />
        <source>请扫码或输入{what}，回车确认</source>
        <translation>Scan or type the {what}, then Enter</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="436" />
        <source>已收{kind} {amount}，{left}</source>
        <translation>Took {kind} {amount}; {left}</translation>
    </message>
</context>
<context>
    <name>QuantityDialog</name>
    <message>
        <location filename="../../ui/quantity.py" line="35" />
        <source>输入重量</source>
        <translation>Enter weight</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="35" />
        <source>修改数量</source>
        <translation>Change quantity</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="42" />
        <source>按重量销售，请输入千克数（如 1.255）</source>
        <translation>Sold by weight: enter kilograms (e.g. 1.255)</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="43" />
        <source>请输入数量</source>
        <translation>Enter the quantity</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="51" />
        <source>千克</source>
        <translation>kg</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="51" />
        <source>件</source>
        <translation>pcs</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="61" />
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="64" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ReturnDialog</name>
    <message>
        <location filename="../../ui/returns.py" line="329" />
        <location filename="../../ui/returns.py" line="333" />
        <source>退货</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="335" />
        <source>凭小票退货</source>
        <translation>With receipt</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="336" />
        <source>无小票退货</source>
        <translation>Without receipt</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="357" />
        <source>退货原因（可不填），如 质量问题</source>
        <translation>Reason (optional), e.g. faulty</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="365" />
        <source>确认退货 F12</source>
        <translation>Confirm return F12</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="370" />
        <source>取消 Esc</source>
        <translation>Cancel Esc</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="374" />
        <source>完成 Enter</source>
        <translation>Done Enter</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="390" />
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="431" />
        <source>扫描小票上的条码 / 二维码，或输入小票号</source>
        <translation>Scan the receipt's barcode / QR code, or type its number</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="434" />
        <source>查询</source>
        <translation>Look up</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="436" />
        <source>小票号</source>
        <translation>Receipt no.</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="440" />
        <location filename="../../ui/returns.py" line="774" />
        <source>请先扫描或输入原小票号</source>
        <translation>Scan or type the original receipt number first</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="460" />
        <source>选中行的退货数量（称重商品按千克），回车</source>
        <translation>Quantity to return on the selected line (kg when weighed), Enter</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="463" />
        <source>本行全退</source>
        <translation>Whole line</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="464" />
        <source>整单全退</source>
        <translation>Everything</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="471" />
        <source>退货数量</source>
        <translation>Return qty</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="476" />
        <source>无小票退货：按今日售价退现金，需店长授权</source>
        <translation>Without a receipt: cash back at today's price, a manager approves</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="481" />
        <source>扫描商品条码 / 称重码，或输入 PLU、货号</source>
        <translation>Scan a barcode / scale label, or type a PLU or SKU</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="485" />
        <source>商品</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="504" />
        <source>选中行的数量（0 为删除），回车</source>
        <translation>Quantity on the selected line (0 removes it), Enter</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="513" />
        <source>数量</source>
        <translation>Qty</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="573" />
        <source>请扫描或输入原小票号</source>
        <translation>Please scan or type the original receipt number</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="576" />
        <source>正在查询小票…</source>
        <translation>Looking up the receipt…</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="586" />
        <source>小票 {no} · {day} · 收银员 {cashier} · 应收 {total} · 付款 {paid}</source>
        <translation>Receipt {no} · {day} · cashier {cashier} · due {total} · paid {paid}</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="591" />
        <source>这张小票的商品已全部退货</source>
        <translation>Everything on this receipt has been returned already</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="594" />
        <source>↑↓ 选择商品，输入退货数量后回车；F12 确认退货</source>
        <translation>↑↓ choose a line, type the quantity and Enter; F12 confirms</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="632" />
        <source>请先选择要退的商品（↑↓ 键或点选）</source>
        <translation>Choose the line to return first (↑↓ or tap)</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="666" />
        <source>正在计算退款…</source>
        <translation>Working out the refund…</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="690" />
        <source>应退 {total}</source>
        <translation>Refund {total}</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="693" />
        <source>应退 {total}：{how}（退回原付款方式）</source>
        <translation>Refund {total}: {how} (back to the original tenders)</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="710" />
        <source>这是付款码，不是商品条码</source>
        <translation>That is a payment code, not a product</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="713" />
        <source>请扫描商品条码或输入 PLU / 货号</source>
        <translation>Scan a product or type a PLU / SKU</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="736" />
        <source>已加入：{name} × {qty}</source>
        <translation>Added: {name} × {qty}</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="746" />
        <source>请先选择商品（↑↓ 键或点选）</source>
        <translation>Choose a line first (↑↓ or tap)</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="756" />
        <source>应退现金 {total}（按今日售价）</source>
        <translation>Cash refund {total} (today's price)</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="769" />
        <source>请先扫描要退的商品</source>
        <translation>Scan the goods coming back first</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="777" />
        <source>请选择要退的商品和数量</source>
        <translation>Choose the lines and quantities to return</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="792" />
        <source>正在办理退货…</source>
        <translation>Returning…</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="803" />
        <source>无小票</source>
        <translation>without receipt</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="815" />
        <source>未获授权，退货未办理</source>
        <translation>Not approved: nothing was returned</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="833" />
        <source>退货完成  退货单 {no}  退款 {total}：{how}</source>
        <translation>Return done  return {no}  refund {total}: {how}</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="836" />
        <source>请按上面的方式退款给顾客；退货单正在打印</source>
        <translation>Refund the customer as shown above; the return slip is printing</translation>
    </message>
</context>
<context>
    <name>ReturnLinesModel</name>
    <message>
        <location filename="../../ui/returns.py" line="113" />
        <source>退货数量不能为负</source>
        <translation>A returned quantity cannot be negative</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="116" />
        <source>{name} 最多还可退 {left}（不能超过售出数量）</source>
        <translation>At most {left} of {name} can still be returned</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="189" />
        <source>行</source>
        <translation>Line</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="189" />
        <source>商品</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="190" />
        <source>售出</source>
        <translation>Sold</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="190" />
        <source>可退</source>
        <translation>Left</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="191" />
        <source>退货数量</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="191" />
        <source>退款</source>
        <translation>Refund</translation>
    </message>
</context>
<context>
    <name>SearchDialog</name>
    <message>
        <location filename="../../ui/search.py" line="167" />
        <source>商品搜索</source>
        <translation>Find a product</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="174" />
        <source>拼音首字母 / 全拼 / 中文 / 条码 / PLU</source>
        <translation>Pinyin initials / pinyin / Chinese / barcode / PLU</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="197" />
        <source>↑↓ 选择  Enter 加入  Esc 返回</source>
        <translation>↑↓ choose  Enter add  Esc back</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="199" />
        <source>加入 Enter</source>
        <translation>Add Enter</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="204" />
        <source>返回 Esc</source>
        <translation>Back Esc</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="218" />
        <location filename="../../ui/search.py" line="252" />
        <source>请输入拼音首字母（如 btxpg）、全拼、中文或条码</source>
        <translation>Type pinyin initials (e.g. btxpg), pinyin, Chinese or a barcode</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="255" />
        <source>正在搜索…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="267" />
        <source>找到 {n} 项</source>
        <translation>{n} found</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="269" />
        <source>没有找到“{text}”</source>
        <translation>Nothing found for “{text}”</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="292" />
        <source>没有可加入的商品</source>
        <translation>Nothing to add</translation>
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <location filename="../../ui/search.py" line="106" />
        <source>{n} 款：{shown}</source>
        <translation>{n} variants: {shown}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="108" />
        <source>称重</source>
        <translation>by weight</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="115" />
        <source>{price} 起</source>
        <translation>from {price}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="143" />
        <source>商品</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="143" />
        <source>规格</source>
        <translation>Variant</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="144" />
        <source>价格</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="144" />
        <source>编码</source>
        <translation>Code</translation>
    </message>
</context>
<context>
    <name>TenderListModel</name>
    <message>
        <location filename="../../ui/payment.py" line="105" />
        <source>方式</source>
        <translation>Tender</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="105" />
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="106" />
        <source>参考号</source>
        <translation>Reference</translation>
    </message>
</context>
<context>
    <name>ValueDialog</name>
    <message>
        <location filename="../../ui/value_dialog.py" line="61" />
        <source>确定 Enter</source>
        <translation>OK Enter</translation>
    </message>
    <message>
        <location filename="../../ui/value_dialog.py" line="65" />
        <source>取消 Esc</source>
        <translation>Cancel Esc</translation>
    </message>
</context>
<context>
    <name>VariantDialog</name>
    <message>
        <location filename="../../ui/variants.py" line="56" />
        <source>选择款式</source>
        <translation>Choose a variant</translation>
    </message>
    <message>
        <location filename="../../ui/variants.py" line="65" />
        <source>选择颜色和尺码：方向键移动，Enter 加入，Esc 返回</source>
        <translation>Choose colour and size: arrows move, Enter adds, Esc back</translation>
    </message>
    <message>
        <location filename="../../ui/variants.py" line="71" />
        <source>颜色 / 尺码</source>
        <translation>Colour / size</translation>
    </message>
    <message>
        <location filename="../../ui/variants.py" line="75" />
        <source>均码</source>
        <translation>One size</translation>
    </message>
    <message>
        <location filename="../../ui/variants.py" line="81" />
        <source>默认</source>
        <translation>Default</translation>
    </message>
    <message>
        <location filename="../../ui/variants.py" line="99" />
        <source>返回 Esc</source>
        <translation>Back Esc</translation>
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